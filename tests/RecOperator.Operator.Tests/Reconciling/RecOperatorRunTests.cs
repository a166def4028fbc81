using RecOperator.Crds;
using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// The whole operator (informers, controllers, leader election) against DevCluster: it converges after a crash in
/// the middle of a reconcile without duplicating children, only the leader of two instances writes, and a new plan
/// from the autoscaler is rolled out.
/// </summary>
public sealed class RecOperatorRunTests : IAsyncLifetime
{
    private readonly OperatorCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Run_RestartedMidReconcile_ConvergesWithoutDuplicateChildren()
    {
        var plans = new FleetPlanBook();
        plans.Publish(new ObjectKey("default", "ranking-ctr"), new FleetPlan
        {
            Replicas = new Dictionary<PlacementKey, int> { [new("cpu-int8", "cpu-spot")] = 2, [new("gpu-fp16", "gpu")] = 2 },
        });
        using var crashing = new RecordingHandler();
        using var firstStop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The first instance dies right after its first Deployment write: the second is never applied, nor any Service.
        crashing.BeforeSend = request =>
        {
            if (request.Method == HttpMethod.Patch && request.RequestUri!.AbsolutePath.Contains("/deployments/", StringComparison.Ordinal)
                && crashing.Requests.Any(r => r.Method == "PATCH" && r.Path.Contains("/deployments/", StringComparison.Ordinal)))
            {
                firstStop.Cancel();
                throw new HttpRequestException("operator process killed");
            }
        };
        using (var firstClient = _cluster.NewClient(crashing))
        {
            await _cluster.CreateSampleAsync();
            await _cluster.NewHost(firstClient, "first", leaderElect: false, plans).RunAsync(firstStop.Token);
        }

        (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Should().HaveCount(1, "the first instance stopped half-way");

        using var secondClient = _cluster.NewClient(new RecordingHandler());
        using var secondStop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var second = _cluster.NewHost(secondClient, "second", leaderElect: false, plans).RunAsync(secondStop.Token);
        // Status is written last in a reconcile: once it is there, every child has been applied.
        await OperatorCluster.EventuallyAsync(async () => (await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default")).Status is not null, "the restarted operator finished the job");
        await secondStop.CancelAsync();
        await second;

        var deployments = await _cluster.OwnedAsync<V1Deployment>("ranking-ctr");
        deployments.Select(d => d.Metadata!.Name).Should().BeEquivalentTo(["ranking-ctr-cpu-int8-cpu-spot", "ranking-ctr-gpu-fp16-gpu"]);
        (await _cluster.OwnedAsync<V1PodDisruptionBudget>("ranking-ctr")).Should().HaveCount(2);
        (await _cluster.OwnedAsync<V1Service>("ranking-ctr")).Should().HaveCount(3);
        deployments.Should().OnlyContain(d => d.Metadata!.OwnerReferences!.Count == 1);
    }

    [Fact]
    public async Task Run_TwoInstancesWithLeaderElection_OnlyTheLeaderWrites()
    {
        using var firstRecorder = new RecordingHandler();
        using var secondRecorder = new RecordingHandler();
        using var firstClient = _cluster.NewClient(firstRecorder);
        using var secondClient = _cluster.NewClient(secondRecorder);
        using var firstStop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        using var secondStop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var first = _cluster.NewHost(firstClient, "first", leaderElect: true);
        var firstRun = first.RunAsync(firstStop.Token);
        await OperatorCluster.EventuallyAsync(() => Task.FromResult(first.IsLeader), "the first instance leads");
        var second = _cluster.NewHost(secondClient, "second", leaderElect: true);
        var secondRun = second.RunAsync(secondStop.Token);

        await _cluster.CreateSampleAsync();
        await OperatorCluster.EventuallyAsync(async () => (await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default")).Status is not null, "the leader reconciled");
        await Task.Delay(TimeSpan.FromSeconds(1));

        second.IsLeader.Should().BeFalse();
        secondRecorder.Requests.Where(r => r.IsWrite && !r.Path.Contains("/leases", StringComparison.Ordinal)).Should().BeEmpty("a follower only competes for the Lease");
        firstRecorder.Requests.Should().Contain(r => r.Method == "PATCH" && r.Path.Contains("/deployments/", StringComparison.Ordinal));

        // The leader goes away: the follower takes over and reconciles what changes next.
        await firstStop.CancelAsync();
        await firstRun;
        await OperatorCluster.EventuallyAsync(() => Task.FromResult(second.IsLeader), "the second instance leads");
        await _cluster.User.For<RecModel>().DeleteAsync("ranking-ctr", "default");
        await OperatorCluster.EventuallyAsync(async () => (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Count == 0, "children collected");
        await _cluster.CreateSampleAsync();
        await OperatorCluster.EventuallyAsync(async () => (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Count == 1, "the new leader reconciled");
        secondRecorder.Requests.Should().Contain(r => r.Method == "PATCH" && r.Path.Contains("/deployments/", StringComparison.Ordinal));
        await secondStop.CancelAsync();
        await secondRun;
    }

    [Fact]
    public async Task Run_PlanPublished_RolloutFollowsThePlan()
    {
        var plans = new FleetPlanBook();
        using var client = _cluster.NewClient(new RecordingHandler());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = _cluster.NewHost(client, "only", leaderElect: false, plans).RunAsync(stop.Token);
        await _cluster.CreateSampleAsync();
        await OperatorCluster.EventuallyAsync(async () => (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Count == 1, "the minimum is placed");

        plans.Publish(new ObjectKey("default", "ranking-ctr"), new FleetPlan { Replicas = new Dictionary<PlacementKey, int> { [new("cpu-int8", "cpu-spot")] = 7 } });

        await OperatorCluster.EventuallyAsync(
            async () => (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).SingleOrDefault()?.Spec?.Replicas == 7, "the plan's replicas are applied");
        await stop.CancelAsync();
        await run;
    }
}
