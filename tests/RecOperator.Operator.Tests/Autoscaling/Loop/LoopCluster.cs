using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.DevCluster.Hosting;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Runtime;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

/// <summary>
/// An in-process DevCluster with the project's CRDs, a Kube client, shared informers running over it, and helpers
/// to write the objects the autoscaler reads (RecModels, NodePools, Deployments, pods). Disposed per test.
/// </summary>
internal sealed class LoopCluster : IAsyncDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("autoscaler-loop-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private DevClusterServer _server = null!;
    private Task _informersRun = Task.CompletedTask;

    public KubeApiClient Client { get; private set; } = null!;

    public SharedInformerFactory Informers { get; private set; } = null!;

    public static async Task<LoopCluster> StartAsync()
    {
        var cluster = new LoopCluster();
        cluster._server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = cluster._dataDirectory, Secure = false }, CancellationToken.None);
        cluster.Client = new KubeApiClient(KubeClientConfig.ForServer(cluster._server.BaseAddress), new KubeApiClientOptions { AdditionalTypes = CrdsJsonContext.Default });
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("manifests", "crds"), "*.yaml"))
        {
            var intent = YamlDocuments.Parse(await File.ReadAllTextAsync(file)).Single();
            await cluster.Client.For<V1CustomResourceDefinition>().PatchAsync((string)intent["metadata"]!["name"]!, KubePatch.Apply(intent, "test", force: true));
        }

        cluster.Informers = new SharedInformerFactory(cluster.Client, NullLoggerFactory.Instance);
        return cluster;
    }

    /// <summary>A loop over this cluster (create every loop before <see cref="StartInformers"/>).</summary>
    public AutoscalerLoop Loop(FleetPlanBook book, TimeProvider clock, IModelMetricsSources metrics, string? watchNamespace = null, ILoggerFactory? loggers = null) =>
        AutoscalerLoop.Create(Client, Informers, book, new AutoscalerOptions(), loggers ?? NullLoggerFactory.Instance, time: clock, metrics: metrics, watchNamespace: watchNamespace);

    public void StartInformers() => _informersRun = Informers.RunAsync(_stop.Token);

    /// <summary>Waits until every informer has listed and the condition holds on the caches.</summary>
    public Task SyncedAsync(Func<bool> condition) => Eventually.Until(() => Informers.Informers.All(i => i.HasSynced) && condition());

    public Task<NodePool> CreatePoolAsync(string name, double cost, int? capacityLimit = null) =>
        Client.For<NodePool>().CreateAsync(new NodePool
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new NodePoolSpec { Hardware = Hardware.Cpu, CostPerReplicaHour = cost, CapacityLimit = capacityLimit },
        });

    /// <summary>The pool's status as the NodePool controller writes it: one ready node holding <paramref name="allocatable"/> replicas.</summary>
    public async Task SetPoolStatusAsync(string name, int allocatable, int allocated)
    {
        var pools = Client.For<NodePool>();
        var pool = await pools.GetAsync(name);
        await pools.UpdateStatusAsync(pool with
        {
            Status = new NodePoolStatus { ObservedGeneration = pool.Metadata?.Generation, Nodes = 1, ReadyNodes = 1, AllocatableSlots = allocatable, AllocatedSlots = allocated },
        });
    }

    public Task<RecModel> CreateModelAsync(string name, double qpsPerReplica, params string[] pools) =>
        CreateModelAsync("default", name, qpsPerReplica, pools);

    public Task<RecModel> CreateModelAsync(string ns, string name, double qpsPerReplica, params string[] pools) =>
        Client.For<RecModel>().CreateAsync(new RecModel
        {
            Metadata = new V1ObjectMeta { Name = name, Namespace = ns },
            Spec = new RecModelSpec
            {
                Slo = new SloSpec { P99LatencyMs = 50 },
                Variants =
                [
                    new VariantSpec
                    {
                        Name = "cpu", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = pools,
                        Replicas = new ReplicaBounds { Min = 0, Max = 100 }, Capacity = new CapacityProfileSpec { QpsPerReplica = qpsPerReplica },
                    },
                ],
            },
        }, ns);

    public Task CreateNamespaceAsync(string name) => Client.For<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });

    /// <summary>A Deployment as the reconciler would own it, with the given replicas, of which <paramref name="ready"/> are ready.</summary>
    public async Task CreateDeploymentAsync(string model, string variant, string pool, int replicas, int ready)
    {
        var labels = ChildLabels.For(model, variant, pool);
        var deployments = Client.For<V1Deployment>();
        var created = await deployments.CreateAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = ChildNames.Deployment(model, variant, pool), Namespace = "default", Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = ChildLabels.Selector(model, variant, pool) },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = PodSpec() },
            },
        }, "default");
        await deployments.UpdateStatusAsync(created with { Status = new V1DeploymentStatus { Replicas = replicas, ReadyReplicas = ready } });
    }

    /// <summary>A pod of the placement that the scheduler could not place: Pending, PodScheduled=False, Unschedulable.</summary>
    public async Task CreateUnschedulablePodAsync(string name, string model, string variant, string pool)
    {
        var pods = Client.For<V1Pod>();
        var created = await pods.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Namespace = "default", Labels = ChildLabels.For(model, variant, pool) },
            Spec = PodSpec(),
        }, "default");
        await pods.UpdateStatusAsync(created with
        {
            Status = new V1PodStatus
            {
                Phase = "Pending",
                Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/3 nodes have a free slot" }],
            },
        });
    }

    public async Task<IReadOnlyList<EventsV1Event>> EventsAsync() => (await Client.For<EventsV1Event>().ListAsync("default")).Items.ToList();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _informersRun;
        Client.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static V1PodSpec PodSpec() => new() { Containers = [new V1Container { Name = "recpod", Image = OperatorImages.Default.InferencePod }] };
}
