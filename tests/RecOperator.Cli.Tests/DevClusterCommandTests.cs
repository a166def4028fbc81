using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Tests.Shared;

namespace RecOperator.Cli.Tests;

/// <summary>
/// <c>recop devcluster node down|up</c> and <c>recop devcluster logs</c> as processes, against an in-process control
/// plane (nodes of two pools registered directly, as the node agent would) and pod log files where the agent writes them.
/// </summary>
public sealed class DevClusterCommandTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("devcluster-cli-").FullName;
    private DevClusterServer _server = null!;
    private KubeApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = _dataDirectory, Secure = false }, CancellationToken.None);
        _api = new KubeApiClient(KubeConfigLoader.Load(_server.KubeconfigPath!));
        foreach (var (pool, name) in new[] { ("lab", "lab-0"), ("lab", "lab-1"), ("other", "other-0") })
        {
            var labels = new Dictionary<string, string> { [NodePoolConfig.PoolLabel] = pool };
            await _api.For<V1Node>().CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name, Labels = labels } });
        }
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task NodeDownThenUp_PoolThenOneNode_MarksExactlyThoseNodes()
    {
        var kubeconfig = _server.KubeconfigPath!;

        var down = await RecopProcess.RunAsync(RepoPaths.Root, "devcluster", "node", "down", "--pool", "lab", "--kubeconfig", kubeconfig);
        var afterDown = await DownNodesAsync();
        var up = await RecopProcess.RunAsync(RepoPaths.Root, "devcluster", "node", "up", "--node", "lab-1", "--kubeconfig", kubeconfig);
        var afterUp = await DownNodesAsync();

        (down.ExitCode, down.Stdout.Trim()).Should().Be((0, "lab-0, lab-1: down"), down.Stderr);
        afterDown.Should().Equal("lab-0", "lab-1");
        (up.ExitCode, up.Stdout.Trim()).Should().Be((0, "lab-1: up"), up.Stderr);
        afterUp.Should().Equal("lab-0");
    }

    [Theory]
    [InlineData(new[] { "--pool", "nope" }, "--pool: no node carries recoperator.io/pool=nope")]
    [InlineData(new[] { "--node", "lab-9" }, "--node: no node named lab-9")]
    [InlineData(new[] { "--pool", "lab", "--node", "lab-0" }, "name exactly one of --pool and --node")]
    public async Task NodeDown_UnknownOrAmbiguousSelection_ExitsTwoNamingTheOption(string[] selection, string message)
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, ["devcluster", "node", "down", .. selection, "--kubeconfig", _server.KubeconfigPath!]);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain(message);
        (await DownNodesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Logs_PodWithTwoContainers_PrintsEveryContainerOrTheOneAsked()
    {
        var logs = PodLogs.DirectoryUnder(_dataDirectory);
        Directory.CreateDirectory(PodLogs.DirectoryOf(logs, "shop", "web-1"));
        await File.WriteAllTextAsync(PodLogs.PathOf(logs, "shop", "web-1", "app"), "listening 4242\nrestarted\n");
        await File.WriteAllTextAsync(PodLogs.PathOf(logs, "shop", "web-1", "sidecar"), "sidecar up\n");

        var all = await RecopProcess.RunAsync(RepoPaths.Root, "devcluster", "logs", "web-1", "-n", "shop", "--data-dir", _dataDirectory);
        var one = await RecopProcess.RunAsync(RepoPaths.Root, "devcluster", "logs", "web-1", "-n", "shop", "-c", "sidecar", "--data-dir", _dataDirectory);
        var missing = await RecopProcess.RunAsync(RepoPaths.Root, "devcluster", "logs", "web-2", "-n", "shop", "--data-dir", _dataDirectory);

        (all.ExitCode, all.Stdout).Should().Be((0, "listening 4242\nrestarted\nsidecar up\n"));
        (one.ExitCode, one.Stdout).Should().Be((0, "sidecar up\n"));
        missing.ExitCode.Should().Be(1);
        missing.Stderr.Should().Contain("no logs for pod shop/web-2");
    }

    private async Task<List<string>> DownNodesAsync()
    {
        var nodes = await _api.For<V1Node>().ListAsync(null);
        return nodes.Items.Where(NodeSwitch.IsDown).Select(n => n.Metadata!.Name!).Order(StringComparer.Ordinal).ToList();
    }
}
