using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// Where an install of the operator is tried: a DevCluster control plane in its default mode (HTTPS, token
/// authentication, RBAC enforced) and its node agent, which runs the operator Deployment's pods as `recop operator`
/// processes with their ServiceAccount's token mounted; kubectl as the cluster admin, and the operator pods' logs.
/// </summary>
internal sealed class OperatorInstallCluster : IAsyncDisposable
{
    public const string Namespace = "rec-operator-system";

    /// <summary>The operator's ServiceAccount (the kustomize install's and the chart's, under release name rec-operator).</summary>
    public const string OperatorUser = "system:serviceaccount:rec-operator-system:rec-operator";

    private readonly string _dataDirectory;

    private OperatorInstallCluster(string dataDirectory, DevClusterServer server, NodeAgentHost agent) =>
        (_dataDirectory, Server, Agent, Client) = (dataDirectory, server, agent, new KubeApiClient(KubeConfigLoader.Load(server.KubeconfigPath!)));

    public DevClusterServer Server { get; }

    public NodeAgentHost Agent { get; }

    public KubeApiClient Client { get; }

    public string LogDirectory => Path.Combine(_dataDirectory, "pod-logs");

    public string DataDirectory => _dataDirectory;

    public static async Task<OperatorInstallCluster> StartAsync(string name)
    {
        // The node agent runs `<repo>/recop operator`; build the CLI first so the pods do not race its build.
        var build = await ProcessRunner.RunAsync(RepoPaths.Combine("recop"), ["--help"], RepoPaths.Root, TimeSpan.FromMinutes(10));
        build.ExitCode.Should().Be(0, build.ToString());
        var dataDirectory = Directory.CreateTempSubdirectory($"recop-{name}-").FullName;
        var server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = dataDirectory }, CancellationToken.None);
        var options = new NodeAgentOptions
        {
            Config = DefaultNodeAgentConfig.For(RepoPaths.Root),
            LogDirectory = Path.Combine(dataDirectory, "pod-logs"),
            ResyncInterval = TimeSpan.FromSeconds(1),
        };
        var agent = await NodeAgentHost.StartAsync(server.KubeconfigPath!, options, null, CancellationToken.None);
        return new OperatorInstallCluster(dataDirectory, server, agent);
    }

    public Task<ProcessResult> KubectlAsync(params string[] args) =>
        ProcessRunner.RunAsync("kubectl", ["--kubeconfig", Server.KubeconfigPath!, .. args], RepoPaths.Root, TimeSpan.FromMinutes(5));

    /// <summary>The operator Deployment Available (both replicas ready through the readiness probe), each pod running as its ServiceAccount.</summary>
    public async Task WaitForOperatorAsync(string deployment)
    {
        var wait = await KubectlAsync("-n", Namespace, "wait", "--for=condition=Available", $"deployment/{deployment}", "--timeout=240s");
        wait.ExitCode.Should().Be(0, $"{wait}\n{PodLogs()}");
        var available = await Client.For<V1Deployment>().GetAsync(deployment, Namespace);
        available.Status!.AvailableReplicas.Should().Be(2, "both replicas are ready, the leader and its standby");
        var pods = (await Client.For<V1Pod>().ListAsync(Namespace, new ListOptions { LabelSelector = "app.kubernetes.io/name=rec-operator" })).Items;
        pods.Should().HaveCount(2);
        foreach (var pod in pods)
        {
            await AssertRunsAsItsServiceAccountAsync(pod);
        }
    }

    /// <summary>Applies the sample NodePools and RecModel as the admin.</summary>
    public async Task ApplySampleAsync()
    {
        var sample = await KubectlAsync("apply", "-f", RepoPaths.Combine("manifests", "samples", "nodepools.yaml"), "-f", RepoPaths.Combine("manifests", "samples", "recmodel-ranking.yaml"));
        sample.ExitCode.Should().Be(0, sample.ToString());
    }

    /// <summary>The sample model's Deployments, which only the operator creates.</summary>
    public async Task<IReadOnlyList<V1Deployment>> ModelDeploymentsAsync() =>
        (await Client.For<V1Deployment>().ListAsync("default", new ListOptions { LabelSelector = "serving.recoperator.io/model=ranking-ctr" })).Items;

    public static async Task<IReadOnlyList<T>> EventuallyAsync<T>(Func<Task<IReadOnlyList<T>>> read, TimeSpan limit)
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

    /// <summary>The exceptions the operator pods logged (their logs are JSON lines, one object per entry).</summary>
    public List<string> LoggedErrors()
    {
        var errors = new List<string>();
        foreach (var file in LogFiles())
        {
            foreach (var line in File.ReadAllLines(file).Where(l => l.StartsWith('{')))
            {
                try
                {
                    if (JsonNode.Parse(line)?["Exception"] is JsonValue exception && exception.TryGetValue<string>(out var text))
                    {
                        errors.Add(text);
                    }
                }
                catch (System.Text.Json.JsonException)
                {
                    // A line still being written.
                }
            }
        }
        return errors;
    }

    /// <summary>Every operator pod's output, for failure messages.</summary>
    public string PodLogs()
    {
        var text = new StringBuilder();
        foreach (var file in LogFiles())
        {
            text.AppendLine($"--- {file}").AppendLine(File.ReadAllText(file));
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        // Stops every pod process (operators and the inference pods they created) before the server goes.
        await Agent.DisposeAsync();
        await Server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private string[] LogFiles() => Directory.Exists(Path.Combine(LogDirectory, Namespace))
        ? Directory.GetFiles(Path.Combine(LogDirectory, Namespace), "*.log", SearchOption.AllDirectories)
        : [];

    /// <summary>
    /// The pod's process has the service-account folder and API server from the node agent, no kubeconfig, and serves
    /// /readyz where the annotation says; the in-cluster config it builds from that authenticates as its ServiceAccount.
    /// </summary>
    private async Task AssertRunsAsItsServiceAccountAsync(V1Pod pod)
    {
        var name = pod.Metadata!.Name!;
        var folder = Path.Combine(LogDirectory, Namespace, name, "serviceaccount");
        (await File.ReadAllTextAsync(Path.Combine(folder, "namespace"))).Should().Be(Namespace);
        (await File.ReadAllTextAsync(Path.Combine(folder, "ca.crt"))).Should().Be(Server.CaPem!.TrimEnd() + Environment.NewLine);

        var status = pod.Status!.ContainerStatuses!.Single();
        status.Ready.Should().BeTrue();
        var pid = status.ContainerID!["process://".Length..];
        var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0').Where(e => e.Length > 0)
            .Select(e => e.Split('=', 2)).ToDictionary(e => e[0], e => e[1], StringComparer.Ordinal);
        environment.Should().Contain(InClusterConfig.FolderVariable, folder).And.Contain("KUBERNETES_SERVICE_HOST", "127.0.0.1")
            .And.Contain("KUBERNETES_SERVICE_PORT", Server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .And.Contain("POD_NAMESPACE", Namespace).And.NotContainKey("KUBECONFIG");
        using var asPod = new KubeApiClient(InClusterConfig.Load(environment: variable => environment.GetValueOrDefault(variable)));
        var whoami = await asPod.Unstructured(new ResourceDescriptor("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", false))
            .CreateAsync(new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "SelfSubjectReview" });
        ((string?)whoami["status"]!["userInfo"]!["username"]).Should().Be(OperatorUser, "the mounted token is the pod's own account's, whose RBAC is all the operator has");

        var hostPort = (int)JsonNode.Parse(pod.Metadata.Annotations!["devcluster.recoperator.io/host-ports"])!["8081"]!;
        (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Split('\0').Should().Contain($"--health-port={hostPort}");
        using var http = new HttpClient();
        var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{hostPort}/readyz"));
        ready.IsSuccessStatusCode.Should().BeTrue();
    }
}
