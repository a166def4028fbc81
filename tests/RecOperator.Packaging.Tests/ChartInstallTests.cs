using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// The chart installed as helm would install it (no helm binary here: the templates rendered with the default values,
/// its crds/ applied first, the release namespace created) on a DevCluster control plane with RBAC enforced and its
/// node agent: the operator runs as the chart's ServiceAccount with only the chart's ClusterRole and leader-election
/// Role, becomes Available and reconciles a sample RecModel.
/// </summary>
public sealed class ChartInstallTests : IAsyncLifetime
{
    private OperatorInstallCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await OperatorInstallCluster.StartAsync("chart-install");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task InstallChart_DefaultValues_OperatorRunsUnderTheChartsRbacAndReconcilesASample()
    {
        // One JSON object after another, a stream kubectl reads object by object.
        var manifest = Path.Combine(_cluster.DataDirectory, "rendered.json");
        var objects = ChartFiles.Renderer().RenderObjects();
        await File.WriteAllTextAsync(manifest, string.Join('\n', objects.Select(o => o.ToJsonString())));

        var crds = await _cluster.KubectlAsync("apply", "-f", ChartFiles.Path("crds"));
        var ns = await _cluster.KubectlAsync("create", "namespace", ChartFiles.Namespace);
        var install = await _cluster.KubectlAsync("apply", "-n", ChartFiles.Namespace, "-f", manifest);

        crds.ExitCode.Should().Be(0, crds.ToString());
        ns.ExitCode.Should().Be(0, ns.ToString());
        install.ExitCode.Should().Be(0, install.ToString());
        objects.Should().Contain(o => (string?)o["kind"] == "ClusterRole").And.Contain(o => (string?)o["kind"] == "Role", "the operator runs with the chart's own RBAC");
        var deployment = (string)objects.Single(o => (string?)o["kind"] == "Deployment")["metadata"]!["name"]!;
        await _cluster.WaitForOperatorAsync(deployment);

        await _cluster.ApplySampleAsync();
        var children = await OperatorInstallCluster.EventuallyAsync(_cluster.ModelDeploymentsAsync, TimeSpan.FromSeconds(120));

        children.Should().NotBeEmpty($"the elected operator creates the model's Deployments\n{_cluster.PodLogs()}");
        _cluster.LoggedErrors().Should().NotContain(e => e.Contains("403 Forbidden", StringComparison.Ordinal), "the chart grants every request the operator makes");
    }
}
