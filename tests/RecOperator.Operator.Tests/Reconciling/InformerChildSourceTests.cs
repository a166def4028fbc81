using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Crds;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// The reconciler reading a model's children and the NodePools from informer caches, as the running operator does:
/// on the in-process DevCluster, with the informers run by the test.
/// </summary>
public sealed class InformerChildSourceTests : IAsyncLifetime
{
    private static readonly ObjectKey Sample = new("default", "ranking-ctr");
    private readonly CachedReadsCluster _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task Reconcile_SettledModelWithSyncedCaches_ReadsOnlyTheModelAndTheRoutingConfigMap()
    {
        await _env.Cluster.CreateSampleAsync();
        var (reconciler, deployments, services, budgets) = await StartAsync();
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        await Eventually.Until(() => deployments.Cache.Count == 1 && services.Cache.Count == 2 && budgets.Cache.Count == 1);
        _env.Recorder.Requests.Clear();

        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        _env.Recorder.Requests.Should().OnlyContain(r => r.Method == "GET");
        _env.Recorder.Requests.Select(r => r.Path).Should().BeEquivalentTo(
            ["/apis/serving.recoperator.io/v1alpha1/namespaces/default/recmodels/ranking-ctr", "/api/v1/namespaces/default/configmaps"],
            "the Deployments, Services, budgets, pods and NodePools come from the caches");
    }

    [Fact]
    public async Task Reconcile_PodsInTheSyncedCache_StatusFollowsThemWithoutListingPods()
    {
        await _env.Cluster.CreateSampleAsync();
        var (reconciler, _, _, _) = await StartAsync();
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        await _env.Cluster.User.For<V1Pod>().CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "stuck", Namespace = "default", Labels = ChildLabels.For("ranking-ctr", "cpu-int8", "cpu-spot") },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "recpod", Image = "ghcr.io/recoperator/recpod:0.1.0" }] },
        }, "default");
        // As kube-scheduler reports a pod no node can take.
        await _env.Cluster.User.Unstructured(V1Pod.Descriptor).PatchStatusAsync("stuck", KubePatch.Merge(new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Pending",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "PodScheduled", ["status"] = "False", ["reason"] = "Unschedulable", ["message"] = "0/6 nodes are available" }),
            },
        }), "default");
        await Eventually.Until(() => _env.Informers.For<V1Pod>().Cache.Get(new ObjectKey("default", "stuck"))?.Status?.Phase == "Pending");
        _env.Recorder.Requests.Clear();

        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        var degraded = (await _env.Cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default")).Status!.Conditions.Single(c => c.Type == Conditions.Degraded);
        degraded.Reason.Should().Be(Conditions.NoCapacity, "the cached pod says no node can take it");
        degraded.Message.Should().Contain("0/6 nodes are available");
        _env.Recorder.Requests.Should().NotContain(r => r.Path.EndsWith("/pods", StringComparison.Ordinal), "the model's pods come from the synced pod informer");
    }

    [Fact]
    public async Task Reconcile_CachesThatHaveNotSeenTheFirstReconcilesWrites_ReadsThoseChildrenByNameAndRecordsEachCreationOnce()
    {
        await _env.Cluster.CreateSampleAsync();
        var (reconciler, _, _, _) = await StartAsync();
        // Synced while the model had no children, then frozen: every child the first reconcile creates stays unseen.
        await _env.StopInformersAsync();

        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        _env.Recorder.Requests.Clear();
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        _env.Recorder.Requests.Should().Contain(r => r.Method == "GET"
            && r.PathAndQuery == "/apis/apps/v1/namespaces/default/deployments?fieldSelector=metadata.name%3Dranking-ctr-cpu-int8-cpu-spot",
            "the cache does not show the Deployment, so it is looked up by name (another owner's object would have it)");
        _env.Recorder.Requests.Should().NotContain(r => r.Method == "PATCH" && r.Path.EndsWith("/deployments/ranking-ctr-cpu-int8-cpu-spot", StringComparison.Ordinal),
            "what the lookup found already holds the intent");
        _env.Recorder.Requests.Should().NotContain(r => r.Method == "POST" && r.Path.Contains("/events", StringComparison.Ordinal), "no second Created event");
        var notes = (await _env.Cluster.User.For<EventsV1Event>().ListAsync("default")).Items.Select(e => e.Note).ToList();
        notes.Should().ContainSingle(n => n == "Created Deployment ranking-ctr-cpu-int8-cpu-spot");
        notes.Should().NotContain(n => n != null && n.StartsWith("Updated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChildrenAsync_InformerNotSyncedYet_ListsFromTheApiServer()
    {
        await _env.Cluster.CreateSampleAsync();
        var deployments = _env.Informers.For<V1Deployment>();
        var source = new InformerChildSource(new LiveChildSource(_env.Client)).With(deployments);
        var model = await _env.Cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default");

        var children = await source.ChildrenAsync<V1Deployment>(model, CancellationToken.None);

        deployments.HasSynced.Should().BeFalse("the informer was never run");
        children.Should().BeEmpty();
        _env.Recorder.Requests.Should().ContainSingle(r => r.Path == "/apis/apps/v1/namespaces/default/deployments");
    }

    private async Task<(RecModelReconciler, SharedInformer<V1Deployment>, SharedInformer<V1Service>, SharedInformer<V1PodDisruptionBudget>)> StartAsync()
    {
        var (deployments, services, budgets, pools) = (_env.Informers.For<V1Deployment>(), _env.Informers.For<V1Service>(), _env.Informers.For<V1PodDisruptionBudget>(), _env.Informers.For<NodePool>());
        var source = new InformerChildSource(new LiveChildSource(_env.Client)).With(deployments).With(services).With(budgets).WithPools(pools)
            .WithPods(_env.Informers.For<V1Pod>());
        await _env.RunInformersUntilSyncedAsync();
        var reconciler = new RecModelReconciler(_env.Client, new FleetPlanBook(), OperatorImages.Default, OperatorEvents.Recorder(_env.Client, "test"), NullLogger.Instance, children: source);
        return (reconciler, deployments, services, budgets);
    }
}
