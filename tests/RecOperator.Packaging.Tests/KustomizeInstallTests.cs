using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// The kustomize install on a cluster: <c>kubectl apply -k manifests/</c> against a DevCluster control plane (HTTPS,
/// token auth) with its node agent, which runs the manifests' own operator Deployment as <c>recop operator</c>
/// processes with the manifests' ServiceAccount mounted (in-cluster config). The Deployment must become Available
/// through the readiness probe on the health port, and the elected operator must reconcile a sample RecModel.
/// </summary>
public sealed class KustomizeInstallTests : IAsyncLifetime
{
    private const string Namespace = "rec-operator-system";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("recop-kustomize-install-").FullName;
    private DevClusterServer? _server;
    private NodeAgentHost? _agent;
    private KubeApiClient? _client;

    private string LogDirectory => Path.Combine(_dataDirectory, "pod-logs");

    public async Task InitializeAsync()
    {
        // The node agent runs `<repo>/recop operator`; build the CLI first so the pods do not race its build.
        var build = await ProcessRunner.RunAsync(RepoPaths.Combine("recop"), ["--help"], RepoPaths.Root, TimeSpan.FromMinutes(10));
        build.ExitCode.Should().Be(0, build.ToString());
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = _dataDirectory }, CancellationToken.None);
        var options = new NodeAgentOptions
        {
            Config = DefaultNodeAgentConfig.For(RepoPaths.Root),
            LogDirectory = LogDirectory,
            ResyncInterval = TimeSpan.FromSeconds(1),
        };
        _agent = await NodeAgentHost.StartAsync(_server.KubeconfigPath!, options, null, CancellationToken.None);
        _client = new KubeApiClient(KubeConfigLoader.Load(_server.KubeconfigPath!));
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        // Stops every pod process (operators and the inference pods they created) before the server goes.
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task ApplyKustomize_OnDevClusterWithNodeAgent_OperatorDeploymentAvailableAndReconcilesASample()
    {
        var apply = await KubectlAsync("apply", "-k", RepoPaths.Combine("manifests"));
        apply.ExitCode.Should().Be(0, apply.ToString());

        var wait = await KubectlAsync("-n", Namespace, "wait", "--for=condition=Available", "deployment/rec-operator", "--timeout=240s");
        wait.ExitCode.Should().Be(0, $"{wait}\n{PodLogs()}");

        var deployment = await _client!.For<V1Deployment>().GetAsync("rec-operator", Namespace);
        deployment.Status!.AvailableReplicas.Should().Be(2, "both replicas are ready, the leader and its standby");
        var pods = (await _client.For<V1Pod>().ListAsync(Namespace, new ListOptions { LabelSelector = "app.kubernetes.io/name=rec-operator" })).Items;
        pods.Should().HaveCount(2);
        foreach (var pod in pods)
        {
            await AssertRunsAsItsServiceAccountAsync(pod);
        }

        var sample = await KubectlAsync("apply", "-f", RepoPaths.Combine("manifests", "samples", "nodepools.yaml"), "-f", RepoPaths.Combine("manifests", "samples", "recmodel-ranking.yaml"));
        sample.ExitCode.Should().Be(0, sample.ToString());
        var children = await EventuallyAsync(async () =>
            (await _client.For<V1Deployment>().ListAsync("default", new ListOptions { LabelSelector = "serving.recoperator.io/model=ranking-ctr" })).Items, TimeSpan.FromSeconds(120));
        children.Should().NotBeEmpty($"the elected operator creates the model's Deployments\n{PodLogs()}");
        children.Should().OnlyContain(d => d.Metadata!.OwnerReferences!.Any(o => o.Kind == "RecModel" && o.Name == "ranking-ctr" && o.Controller == true));
    }

    /// <summary>The pod's process has the service-account folder and API server from the node agent, no kubeconfig, and serves /readyz where the annotation says.</summary>
    private async Task AssertRunsAsItsServiceAccountAsync(V1Pod pod)
    {
        var name = pod.Metadata!.Name!;
        var folder = Path.Combine(LogDirectory, Namespace, name, "serviceaccount");
        (await File.ReadAllTextAsync(Path.Combine(folder, "namespace"))).Should().Be(Namespace);
        (await File.ReadAllTextAsync(Path.Combine(folder, "ca.crt"))).Should().Be(_server!.CaPem!.TrimEnd() + Environment.NewLine);

        var status = pod.Status!.ContainerStatuses!.Single();
        status.Ready.Should().BeTrue();
        var pid = status.ContainerID!["process://".Length..];
        var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0').Where(e => e.Length > 0)
            .Select(e => e.Split('=', 2)).ToDictionary(e => e[0], e => e[1], StringComparer.Ordinal);
        environment.Should().Contain(InClusterConfig.FolderVariable, folder).And.Contain("KUBERNETES_SERVICE_HOST", "127.0.0.1")
            .And.Contain("KUBERNETES_SERVICE_PORT", _server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .And.Contain("POD_NAMESPACE", Namespace).And.NotContainKey("KUBECONFIG");

        var hostPort = (int)JsonNode.Parse(pod.Metadata.Annotations!["devcluster.recoperator.io/host-ports"])!["8081"]!;
        (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Split('\0').Should().Contain($"--health-port={hostPort}");
        using var http = new HttpClient();
        var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{hostPort}/readyz"));
        ready.IsSuccessStatusCode.Should().BeTrue();
    }

    private Task<ProcessResult> KubectlAsync(params string[] args) =>
        ProcessRunner.RunAsync("kubectl", ["--kubeconfig", _server!.KubeconfigPath!, .. args], RepoPaths.Root, TimeSpan.FromMinutes(5));

    private static async Task<IReadOnlyList<T>> EventuallyAsync<T>(Func<Task<IReadOnlyList<T>>> read, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var items = await read();
        while (items.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            items = await read();
        }
        return items;
    }

    /// <summary>Every operator pod's output, for failure messages.</summary>
    private string PodLogs()
    {
        var text = new StringBuilder();
        foreach (var file in Directory.Exists(Path.Combine(LogDirectory, Namespace)) ? Directory.GetFiles(Path.Combine(LogDirectory, Namespace), "*.log", SearchOption.AllDirectories) : [])
        {
            text.AppendLine($"--- {file}").AppendLine(File.ReadAllText(file));
        }
        return text.ToString();
    }
}
