using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// The NodePool reconciler reading nodes, models and pods from informer caches, as the running operator does: on the
/// in-process DevCluster, with the informers run by the test on a client of their own, so every request recorded is
/// the reconciler's.
/// </summary>
public sealed class InformerNodePoolSourceTests : IAsyncLifetime
{
    private const string Pool = "cpu-ondemand";
    private readonly CachedReadsCluster _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task Reconcile_SettledPoolWithSyncedCaches_SendsNoRequest()
    {
        await _env.Cluster.CreateSampleAsync();
        var (reconciler, _) = await StartAsync();
        await reconciler.ReconcileAsync(new ObjectKey("", Pool), CancellationToken.None);
        await Eventually.Until(() => _env.Informers.For<NodePool>().Cache.Get(new ObjectKey("", Pool))?.Status is not null);
        _env.Recorder.Requests.Clear();

        await reconciler.ReconcileAsync(new ObjectKey("", Pool), CancellationToken.None);

        _env.Recorder.Requests.Should().BeEmpty("the pool, nodes, models and pods come from the caches, and a settled status is not written again");
    }

    [Fact]
    public async Task Reconcile_PoolChangedWithSyncedCaches_SendsOnlyTheStatusWrite()
    {
        await _env.Cluster.CreateSampleAsync();
        var (reconciler, _) = await StartAsync();
        await reconciler.ReconcileAsync(new ObjectKey("", Pool), CancellationToken.None);
        await _env.Cluster.User.For<V1Node>().DeleteAsync($"{Pool}-1");
        await Eventually.Until(() => _env.Informers.For<V1Node>().Cache.Get(new ObjectKey("", $"{Pool}-1")) is null);
        _env.Recorder.Requests.Clear();

        await reconciler.ReconcileAsync(new ObjectKey("", Pool), CancellationToken.None);

        _env.Recorder.Requests.Select(r => (r.Method, r.Path)).Should().Equal(
            [("PATCH", $"/apis/serving.recoperator.io/v1alpha1/nodepools/{Pool}/status")], "a node gone changes the status, which is all that is sent");
        (await _env.Cluster.User.For<NodePool>().GetAsync(Pool)).Status!.Nodes.Should().Be(1);
    }

    [Fact]
    public async Task Reconcile_PodBoundThenDeleted_FreeFollowsTheCacheWithoutListing()
    {
        await _env.Cluster.CreateSampleAsync();
        var (reconciler, pods) = await StartAsync();
        var before = await FreeAsync(reconciler);
        var pod = await _env.Cluster.User.For<V1Pod>().CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "big", Namespace = "default", Labels = new Dictionary<string, string> { ["app"] = "other" } },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container
                {
                    Name = "main", Image = "ghcr.io/recoperator/recpod:0.1.0",
                    Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = ResourceQuantity.Parse("6") } },
                }],
            },
        }, "default");

        // Bound as kube-scheduler binds: through the binding subresource, 6 of the 8 CPUs of node 0.
        await _env.Cluster.User.For<V1Pod>().CreateSubresourceAsync("big", "binding", new V1Binding
        {
            Metadata = new V1ObjectMeta { Name = "big", Namespace = "default", Uid = pod.Metadata!.Uid },
            Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = $"{Pool}-0" },
        }, KubeJsonContext.Default.V1Binding, "default");
        await Eventually.Until(() => pods.Cache.Get(new ObjectKey("default", "big"))?.Spec?.NodeName is not null);
        var bound = await FreeAsync(reconciler);
        // Gone at once, as when the kubelet has confirmed the stop (a graceful delete of a bound pod waits for it).
        await _env.Cluster.User.For<V1Pod>().DeleteAsync("big", "default", new V1DeleteOptions { GracePeriodSeconds = 0 });
        await Eventually.Until(() => pods.Cache.Get(new ObjectKey("default", "big")) is null);
        var deleted = await FreeAsync(reconciler);

        before.Should().Equal(16, 16);
        bound.Should().Equal([10, 10], "node 0 has room for 2 one-CPU replicas beside the bound pod, node 1 for 8");
        deleted.Should().Equal(before);
        _env.Recorder.Requests.Should().NotContain(r => r.Method == "GET", "the pool and the bound and deleted pod reached the status through the caches");
    }

    [Fact]
    public async Task PodsAsync_SharedInformerHoldsFinishedPods_LeavesThemOutAsTheLiveListDoes()
    {
        // The autoscaler's informer, when the operator watches every namespace: every pod, finished ones too.
        var everyPod = _env.Informers.For<V1Pod>();
        var source = new InformerNodePoolSource(new LiveNodePoolSource(_env.Client)).WithPods(everyPod);
        await CreatePodAsync("running", phase: "Running");
        await CreatePodAsync("done", phase: "Succeeded");
        await CreatePodAsync("crashed", phase: "Failed");
        _env.RunInformers();
        await Eventually.Until(() => everyPod.Cache.List().Count(p => p.Status?.Phase is "Running" or "Succeeded" or "Failed") == 3);

        var cached = await source.PodsAsync(CancellationToken.None);
        var live = await new LiveNodePoolSource(_env.Client).PodsAsync(CancellationToken.None);

        cached.Select(p => p.Metadata!.Name).Should().Equal(["running"]);
        live.Select(p => p.Metadata!.Name).Should().Equal(cached.Select(p => p.Metadata!.Name));
    }

    [Fact]
    public async Task NodesAsync_InformerNotSyncedYet_ListsFromTheApiServer()
    {
        var nodes = _env.Informers.For<V1Node>();
        var source = new InformerNodePoolSource(new LiveNodePoolSource(_env.Client)).WithNodes(nodes);

        var listed = await source.NodesAsync(CancellationToken.None);

        nodes.HasSynced.Should().BeFalse("the informer was never run");
        listed.Should().HaveCount(6, "two nodes for each of the three sample pools");
        _env.Recorder.Requests.Should().ContainSingle(r => r.Path == "/api/v1/nodes");
    }

    private async Task<(NodePoolReconciler, SharedInformer<V1Pod>)> StartAsync()
    {
        var pods = _env.Informers.For<V1Pod>(null, NodePoolPods.FieldSelector);
        var source = new InformerNodePoolSource(new LiveNodePoolSource(_env.Client)).WithPools(_env.Informers.For<NodePool>())
            .WithNodes(_env.Informers.For<V1Node>()).WithModels(_env.Informers.For<RecModel>()).WithPods(pods);
        await _env.RunInformersUntilSyncedAsync();
        return (new NodePoolReconciler(_env.Client, OperatorEvents.Recorder(_env.Client, "test"), source: source), pods);
    }

    /// <summary>Reconciles the pool and returns the free slots of each ranking-ctr variant there, from the status written.</summary>
    private async Task<List<int>> FreeAsync(NodePoolReconciler reconciler)
    {
        await reconciler.ReconcileAsync(new ObjectKey("", Pool), CancellationToken.None);
        var pool = await _env.Cluster.User.For<NodePool>().GetAsync(Pool);
        // The next pass compares against the cached pool: let it hold this write, as the running operator's next pass
        // (woken by the write's own event) would see it.
        await Eventually.Until(() => _env.Informers.For<NodePool>().Cache.Get(new ObjectKey("", Pool))?.Metadata?.ResourceVersion == pool.Metadata!.ResourceVersion);
        return [.. pool.Status!.VariantSlots.Where(v => v.Model == "default/ranking-ctr").Select(v => v.Free)];
    }

    private async Task CreatePodAsync(string name, string phase)
    {
        await _env.Cluster.User.For<V1Pod>().CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Namespace = "default", Labels = ChildLabels.For("ranking-ctr", "cpu-int8", Pool) },
            Spec = new V1PodSpec { NodeName = $"{Pool}-0", Containers = [new V1Container { Name = "recpod", Image = "ghcr.io/recoperator/recpod:0.1.0" }] },
        }, "default");
        await _env.Cluster.User.Unstructured(V1Pod.Descriptor).PatchStatusAsync(
            name, KubePatch.Merge(new JsonObject { ["status"] = new JsonObject { ["phase"] = phase } }), "default");
    }
}
