using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Desired;

/// <summary>
/// DevCluster with its node agent running the operator's pod templates as real processes, the image being a small
/// stand-in (testassets/recpod-stand-in) that answers the template's probes and tells what its container sees (a
/// mounted file, its environment). One pool, one namespace; for tests of what a variant's pods get from the cluster.
/// </summary>
internal sealed class StandInPodCluster : IAsyncDisposable
{
    public const string Pool = "work";

    public static readonly OperatorImages StandIn = new("test.local/recpod-stand-in:1", "test.local/recpod-stand-in:1");

    public static readonly NodePoolSpec PoolSpec = new() { Hardware = Hardware.Cpu, NodeSelector = new Dictionary<string, string> { [NodePoolConfig.PoolLabel] = Pool } };

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _dataDirectory;
    private DevClusterServer _server = null!;
    private NodeAgentHost _agent = null!;

    private StandInPodCluster(string ns) => (Namespace, _dataDirectory) = (ns, Directory.CreateTempSubdirectory($"recop-stand-in-{ns}-").FullName);

    public string Namespace { get; }

    public KubeApiClient Client { get; private set; } = null!;

    public static async Task<StandInPodCluster> StartAsync(string ns)
    {
        var cluster = new StandInPodCluster(ns);
        cluster._server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = cluster._dataDirectory, Secure = false }, CancellationToken.None);
        var config = $$"""
            pools:
            - name: {{Pool}}
              allocatable: {cpu: "4", memory: 8Gi}
            images:
            - repository: test.local/recpod-stand-in
              command: [node, "{{RepoPaths.Combine("tests", "RecOperator.Operator.Tests", "testassets", "recpod-stand-in", "server.js")}}"]
              portEnv: {"8080": RECPOD_HTTP_PORT, "8081": RECPOD_GRPC_PORT}
            """;
        var options = new NodeAgentOptions
        {
            Config = NodeAgentConfigParser.Parse(config, RepositoryRoot.Find()),
            LogDirectory = Path.Combine(cluster._dataDirectory, "pod-logs"),
            HeartbeatInterval = TimeSpan.FromSeconds(2),
            ResyncInterval = TimeSpan.FromSeconds(1),
        };
        cluster._agent = await NodeAgentHost.StartAsync(cluster._server.KubeconfigPath!, options, null, CancellationToken.None);
        cluster.Client = new KubeApiClient(KubeConfigLoader.Load(cluster._server.KubeconfigPath!), new KubeApiClientOptions { AdditionalTypes = CrdsJsonContext.Default });
        await cluster.Client.For<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return cluster;
    }

    /// <summary>The pod template the operator builds for the model's only variant, in the stand-in pool.</summary>
    public static V1PodTemplateSpec Template(RecModel model)
    {
        var variant = model.Spec.Variants.Single();
        return DeploymentBuilder.Build(model, variant, Pool, PoolSpec, StandIn).Spec!.Template;
    }

    /// <summary>Runs a pod of <paramref name="template"/> and waits until it is ready; returns its stand-in's address.</summary>
    public async Task<Uri> RunAsync(V1PodTemplateSpec template, string podName)
    {
        var pods = Client.For<V1Pod>();
        await pods.CreateAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = podName, Labels = template.Metadata!.Labels }, Spec = template.Spec }, Namespace);
        var pod = await WaitForReadyAsync(podName);
        var ports = JsonSerializer.Deserialize<Dictionary<string, int>>(pod.Metadata!.Annotations![HostPorts.Annotation])!;
        return new Uri($"http://127.0.0.1:{ports[PodPorts.Http.ToString(CultureInfo.InvariantCulture)]}");
    }

    /// <summary>What the stand-in at <paramref name="pod"/> answers for <paramref name="path"/> (a file it reads, a variable).</summary>
    public static Task<string> AskAsync(Uri pod, string path) => Http.GetStringAsync(new Uri(pod, path));

    /// <summary>
    /// The whole loop for a model whose pods are held back: the CRDs, the pool, the model, the reconciler's Deployment,
    /// the node agent's pods waiting, and reconciles until the RecModel reports Degraded=True; returns that condition.
    /// </summary>
    public async Task<V1Condition> ReconcileUntilDegradedAsync(RecModel model)
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("manifests", "crds"), "*.yaml"))
        {
            var crd = YamlDocuments.Parse(await File.ReadAllTextAsync(file)).Single().AsObject();
            await Client.Unstructured(V1CustomResourceDefinition.Descriptor).PatchAsync((string)crd["metadata"]!["name"]!, KubePatch.Apply(crd, "test", force: true));
        }
        await Client.For<NodePool>().CreateAsync(new NodePool { Metadata = new V1ObjectMeta { Name = Pool }, Spec = PoolSpec });
        var name = model.Metadata!.Name!;
        await Client.For<RecModel>().CreateAsync(model with { Metadata = new V1ObjectMeta { Name = name } }, Namespace);
        var reconciler = new RecModelReconciler(Client, new FleetPlanBook(), StandIn, OperatorEvents.Recorder(Client, "test"), NullLogger.Instance);
        var key = new ObjectKey(Namespace, name);

        // The first pass creates the Deployment; the node agent's pods then wait, and a later pass reads why.
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        return await WaitForAsync(async () =>
        {
            await reconciler.ReconcileAsync(key, CancellationToken.None);
            var status = (await Client.For<RecModel>().GetAsync(name, Namespace)).Status;
            return status?.Conditions.FirstOrDefault(c => c is { Type: Conditions.Degraded, Status: Conditions.True });
        }, "the RecModel Degraded");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _agent.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> attempt, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await attempt() is { } result)
            {
                return result;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not after 30 s");
            }
            await Task.Delay(200);
        }
    }

    private async Task<V1Pod> WaitForReadyAsync(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var pod = await Client.For<V1Pod>().GetAsync(name, Namespace);
            if (pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            {
                return pod;
            }
            if (DateTime.UtcNow > deadline)
            {
                var waiting = pod.Status?.ContainerStatuses?.Select(c => $"{c.State?.Waiting?.Reason} {c.State?.Waiting?.Message}");
                throw new TimeoutException($"pod {name} not ready after 30 s: {string.Join("; ", waiting ?? [])}");
            }
            await Task.Delay(100);
        }
    }
}
