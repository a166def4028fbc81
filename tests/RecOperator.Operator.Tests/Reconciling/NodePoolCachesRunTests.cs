using System.Web;
using RecOperator.Crds;
using RecOperator.Kube;
using RecOperator.Kube.Models;
using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// The whole operator as <see cref="RecOperatorApp"/> wires it: once its informers have synced, NodePool reconciles
/// (here every 2 s, on each resync) read no pool, node, model or pod from the API server, a pod bound meanwhile still
/// reaches the pool's status, and at once, by its own event, when no periodic pass is due; and pods are watched once:
/// the models' informer of every pod (the autoscaler's where it runs) serves the pools too.
/// </summary>
public sealed class NodePoolCachesRunTests : IAsyncLifetime
{
    private static readonly string[] ClusterWideLists = ["/api/v1/pods", "/api/v1/nodes", "/apis/serving.recoperator.io/v1alpha1/recmodels"];
    private readonly OperatorCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Theory]
    // The models read every pod of their namespace (here every namespace), so the pools share that informer with or
    // without the autoscaler: one pod watch, with no field selector.
    [InlineData(false, null)]
    [InlineData(true, null)]
    public async Task Run_PodBoundAfterSync_PoolStatusFollowsWithoutListingAndPodsAreWatchedOnce(bool autoscaler, string? podSelector)
    {
        await _cluster.CreateSampleAsync();
        using var recorder = new RecordingHandler();
        using var client = _cluster.NewClient(recorder);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var host = _cluster.NewHost(client, "pools", leaderElect: false, autoscaler: autoscaler);
        var running = host.RunAsync(stop.Token);
        await OperatorCluster.EventuallyAsync(async () => host.Readiness().Ready && await FreeAsync() is [16, 16], "the pool's status is written from synced caches");
        var startup = recorder.Requests.ToList();
        recorder.Requests.Clear();

        await _cluster.User.For<V1Pod>().CreateAsync(BigPod("cpu-ondemand-0"), "default");
        await OperatorCluster.EventuallyAsync(async () => await FreeAsync() is [10, 10], "the bound pod's 6 CPUs leave room for 2 replicas on its node and 8 on the other");
        await stop.CancelAsync();
        await running;

        recorder.Requests.Should().NotContain(r => r.Method == "GET" && ClusterWideLists.Contains(r.Path) && !r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal),
            "the reconciles after the informers synced read nodes, models and pods from their caches");
        startup.Concat(recorder.Requests).Where(r => r.Path == "/api/v1/pods" && r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal))
            .Select(r => HttpUtility.ParseQueryString(r.PathAndQuery.Split('?')[1])["fieldSelector"]).Distinct()
            .Should().Equal([podSelector], "one pod informer serves the models, the pools and the autoscaler where it runs");
    }

    [Fact]
    public async Task Run_PodBoundThenDeletedWithNoPeriodicPassDue_PoolStatusFollowsEachWithinSecondsWithoutReadingTheApiServer()
    {
        await _cluster.CreateSampleAsync();
        using var recorder = new RecordingHandler();
        using var client = _cluster.NewClient(recorder);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Neither a resync nor a periodic pass falls within the test: only the pod's own events can move the status.
        var host = _cluster.NewHost(client, "pools", leaderElect: false, resync: TimeSpan.FromMinutes(10));
        var running = host.RunAsync(stop.Token);
        await OperatorCluster.EventuallyAsync(async () => host.Readiness().Ready && await FreeAsync() is [16, 16], "the pool's status is written from synced caches");
        recorder.Requests.Clear();

        await _cluster.User.For<V1Pod>().CreateAsync(BigPod("cpu-ondemand-0"), "default");
        await OperatorCluster.EventuallyAsync(async () => await FreeAsync() is [10, 10], "the bound pod's event wakes the pool of its node", seconds: 5);
        await _cluster.User.For<V1Pod>().DeleteAsync("big", "default", new V1DeleteOptions { GracePeriodSeconds = 0 });
        await OperatorCluster.EventuallyAsync(async () => await FreeAsync() is [16, 16], "the deleted pod's event wakes the pool of its node", seconds: 5);
        await stop.CancelAsync();
        await running;

        recorder.Requests.Where(r => r.Path.StartsWith("/apis/serving.recoperator.io/v1alpha1/nodepools", StringComparison.Ordinal) || ClusterWideLists.Contains(r.Path))
            .Where(r => !r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal))
            .Select(r => (r.Method, r.Path)).Should().Equal(
                [("PATCH", "/apis/serving.recoperator.io/v1alpha1/nodepools/cpu-ondemand/status"), ("PATCH", "/apis/serving.recoperator.io/v1alpha1/nodepools/cpu-ondemand/status")],
                "each pod event reconciles the pool of its node from the caches, and only the status write reaches the API server");
    }

    private static V1Pod BigPod(string node) => new()
    {
        Metadata = new V1ObjectMeta { Name = "big", Namespace = "default", Labels = new Dictionary<string, string> { ["app"] = "other" } },
        Spec = new V1PodSpec
        {
            NodeName = node,
            Containers = [new V1Container
            {
                Name = "main", Image = "ghcr.io/recoperator/recpod:0.1.0",
                Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = ResourceQuantity.Parse("6") } },
            }],
        },
    };

    private async Task<int[]> FreeAsync()
    {
        var status = (await _cluster.User.For<NodePool>().GetAsync("cpu-ondemand")).Status;
        return [.. status?.VariantSlots.Where(v => v.Model == "default/ranking-ctr").Select(v => v.Free) ?? []];
    }
}
