using System.Text.Json.Nodes;
using RecOperator.Kube.Yaml;
using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// The kustomize install on a cluster: <c>kubectl apply -k manifests/</c> against a DevCluster control plane (HTTPS,
/// token auth, RBAC enforced) with its node agent, which runs the manifests' own operator Deployment as <c>recop
/// operator</c> processes with a token of the manifests' ServiceAccount mounted (in-cluster config). The Deployment must
/// become Available through the readiness probe on the health port, and the elected operator must reconcile a sample
/// RecModel with no more than the manifests' RBAC grants; with one rule it needs taken away, its requests get 403.
/// </summary>
public sealed class KustomizeInstallTests : IAsyncLifetime
{
    private OperatorInstallCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await OperatorInstallCluster.StartAsync("kustomize-install");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ApplyKustomize_OnDevClusterWithNodeAgent_OperatorDeploymentAvailableAndReconcilesASample()
    {
        var apply = await _cluster.KubectlAsync("apply", "-k", RepoPaths.Combine("manifests"));
        apply.ExitCode.Should().Be(0, apply.ToString());
        await _cluster.WaitForOperatorAsync("rec-operator");

        await _cluster.ApplySampleAsync();
        var children = await OperatorInstallCluster.EventuallyAsync(_cluster.ModelDeploymentsAsync, TimeSpan.FromSeconds(120));

        children.Should().NotBeEmpty($"the elected operator creates the model's Deployments\n{_cluster.PodLogs()}");
        children.Should().OnlyContain(d => d.Metadata!.OwnerReferences!.Any(o => o.Kind == "RecModel" && o.Name == "ranking-ctr" && o.Controller == true));
        _cluster.LoggedErrors().Should().NotContain(e => e.Contains("403 Forbidden", StringComparison.Ordinal), "the manifests grant every request the operator makes");
    }

    [Fact]
    public async Task ApplyKustomize_ClusterRoleLosesPatchOnDeployments_OperatorIsRefused403UntilTheRuleIsBack()
    {
        var apply = await _cluster.KubectlAsync("apply", "-k", RepoPaths.Combine("manifests"));
        apply.ExitCode.Should().Be(0, apply.ToString());
        await _cluster.WaitForOperatorAsync("rec-operator");

        // The deployments rule of manifests/rbac/clusterrole.yaml without its patch verb (server-side apply is a patch).
        var role = YamlDocuments.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("manifests", "rbac", "clusterrole.yaml"))).Single();
        var rules = role["rules"]!.AsArray();
        var index = rules.Select((r, i) => (r, i)).Single(x => x.r!["resources"]!.AsArray().Any(v => (string?)v == "deployments")).i;
        var verbs = new JsonArray(rules[index]!["verbs"]!.AsArray().Select(v => (string?)v).Where(v => v != "patch").Select(v => (JsonNode?)v).ToArray());
        var drop = await _cluster.KubectlAsync("patch", "clusterrole", "rec-operator", "--type=json",
            $"-p=[{{\"op\":\"replace\",\"path\":\"/rules/{index}/verbs\",\"value\":{verbs.ToJsonString()}}}]");
        drop.ExitCode.Should().Be(0, drop.ToString());
        var canI = await _cluster.KubectlAsync("auth", "can-i", "patch", "deployments.apps", "-n", "default", "--as", OperatorInstallCluster.OperatorUser);
        canI.StandardOutput.Trim().Should().Be("no", canI.ToString());

        await _cluster.ApplySampleAsync();
        var refusal = $"is forbidden: User \"{OperatorInstallCluster.OperatorUser}\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"default\"";
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!_cluster.LoggedErrors().Any(e => e.Contains(refusal, StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }
        _cluster.LoggedErrors().Should().Contain(e => e.StartsWith("RecOperator.Kube.Client.KubeForbiddenException: 403 Forbidden: deployments.apps \"ranking-ctr-", StringComparison.Ordinal)
            && e.Contains(refusal, StringComparison.Ordinal), $"the operator's server-side apply of the model's Deployment is refused by RBAC\n{_cluster.PodLogs()}");
        (await _cluster.ModelDeploymentsAsync()).Should().BeEmpty();

        var restore = await _cluster.KubectlAsync("apply", "-k", RepoPaths.Combine("manifests"));
        restore.ExitCode.Should().Be(0, restore.ToString());
        var children = await OperatorInstallCluster.EventuallyAsync(_cluster.ModelDeploymentsAsync, TimeSpan.FromSeconds(120));
        children.Should().NotBeEmpty($"with the rule back the operator's retries succeed\n{_cluster.PodLogs()}");
    }
}
