using System.Text.Json.Nodes;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Runtime;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

/// <summary>
/// The autoscaler loop against a real (in-process) API server: objects are written through the API, read back by the
/// loop's informers, and the published plans and Events are asserted. Metrics come from a scripted source.
/// </summary>
public sealed class AutoscalerLoopTests : IAsyncLifetime
{
    private static readonly ObjectKey Model = new("default", "m");
    private static readonly PlacementKey Cpu = new("cpu", "cpu");
    private readonly ManualClock _clock = new();
    private readonly ScriptedMetrics _metrics = new();
    private readonly FleetPlanBook _book = new();
    private readonly ListLogger _log = new();
    private LoopCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LoopCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task SyncOnceAsync_DemandRises_PublishesLargerPlanWithReasonsAndEvent()
    {
        using var loop = await StartAsync(poolNames: ["cpu"]);
        _metrics.Set("cpu", "cpu", qps: 100, p99Ms: 20);
        await loop.SyncOnceAsync(CancellationToken.None);
        var before = _book.Get(Model)!;

        _clock.Advance(TimeSpan.FromSeconds(5));
        _metrics.Set("cpu", "cpu", qps: 600, p99Ms: 45);
        await loop.SyncOnceAsync(CancellationToken.None);
        var after = _book.Get(Model)!;

        before.Replicas[Cpu].Should().Be(2, "120 QPS with headroom needs 2 replicas of 100");
        after.Replicas[Cpu].Should().Be(8, "720 QPS with headroom needs 8, and a 6x jump is a panic: no rate limit");
        after.LastScale[Cpu].Reason.Should().Contain("2 -> 8").And.Contain("Panic");
        after.TrafficWeights[Cpu].Should().Be(1);
        after.Measured[Cpu].Should().Be(new MeasuredFigures(600, 45));
        Condition(after, AutoscalerConditions.MetricsAvailable).Status.Should().Be("True");
        Condition(after, AutoscalerConditions.SloAtRisk).Status.Should().Be("False");
        var events = await _cluster.EventsAsync();
        events.Should().Contain(e => e.Reason == AutoscalerLoop.ScaledUpReason && e.Note!.Contains("cpu@cpu 2 -> 8") && e.Regarding!.Name == "m" && e.Type == "Normal");
    }

    [Fact]
    public async Task SyncOnceAsync_PlainScaleUp_EventAndLastScaleNameTheDemandItWasSizedFor()
    {
        using var loop = await StartAsync(poolNames: ["cpu"]);
        _metrics.Set("cpu", "cpu", qps: 100, p99Ms: 20);
        await loop.SyncOnceAsync(CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(5));
        _metrics.Set("cpu", "cpu", qps: 180, p99Ms: 20);
        await loop.SyncOnceAsync(CancellationToken.None);
        var after = _book.Get(Model)!;

        const string why = "cheapest placement for 180 QPS measured (216 QPS with headroom)";
        after.LastScale[Cpu].Reason.Should().Be("2 -> 3: " + why, "no rule stepped in, so the reason is the demand itself");
        var events = await _cluster.EventsAsync();
        events.Should().Contain(e => e.Reason == AutoscalerLoop.ScaledUpReason && e.Note == "cpu@cpu 2 -> 3: " + why);
    }

    [Fact]
    public async Task SyncOnceAsync_MetricsMissing_HoldsReplicasAndReportsMetricsUnavailable()
    {
        using var loop = await StartAsync(poolNames: ["cpu"]);
        _metrics.Set("cpu", "cpu", qps: 300, p99Ms: 20);
        await loop.SyncOnceAsync(CancellationToken.None);
        var measured = _book.Get(Model)!.Replicas[Cpu];
        await _cluster.CreateDeploymentAsync("m", "cpu", "cpu", replicas: measured, ready: measured);
        await _cluster.SyncedAsync(() => _cluster.Informers.For<V1Deployment>().Cache.List().Any(d => d.Status?.ReadyReplicas == measured));

        _metrics.Outage();
        _clock.Advance(TimeSpan.FromSeconds(5));
        await loop.SyncOnceAsync(CancellationToken.None);
        var warnedAtOnce = (await _cluster.EventsAsync()).Any(e => e.Reason == AutoscalerLoop.MetricsMissingReason);
        _clock.Advance(TimeSpan.FromMinutes(10));
        await loop.SyncOnceAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await loop.SyncOnceAsync(CancellationToken.None);
        var held = _book.Get(Model)!;

        measured.Should().Be(4);
        held.Replicas[Cpu].Should().Be(measured, "without demand nothing is scaled down, even after the stabilization window");
        var condition = Condition(held, AutoscalerConditions.MetricsAvailable);
        condition.Status.Should().Be("False");
        condition.Reason.Should().Be("MetricsMissing");
        condition.Message.Should().Be("demand could not be measured (cpu@cpu: not measured); replicas are held, never scaled down blind");
        Condition(held, AutoscalerConditions.SloAtRisk).Status.Should().Be("Unknown");
        held.Measured.Should().BeEmpty();
        warnedAtOnce.Should().BeFalse("ready pods may go unmeasured for less than a window (not scraped twice yet) without an outage");
        (await _cluster.EventsAsync()).Where(e => e.Reason == AutoscalerLoop.MetricsMissingReason)
            .Should().ContainSingle("one Warning once the outage has lasted a window, not one per sync").Which.Type.Should().Be("Warning");
        _log.Messages.Where(m => m.Contains("replicas held", StringComparison.Ordinal))
            .Should().ContainSingle("the log says so when metrics go, not at each of the three syncs without them");
    }

    [Fact]
    public async Task SyncOnceAsync_IdleModelMeasuredAtZeroQps_MetricsAvailableNoRiskAndNoWarning()
    {
        using var loop = await StartAsync(poolNames: ["cpu"]);
        await _cluster.CreateDeploymentAsync("m", "cpu", "cpu", replicas: 2, ready: 2);
        await _cluster.SyncedAsync(() => _cluster.Informers.For<V1Deployment>().Cache.List().Any(d => d.Status?.ReadyReplicas == 2));
        _metrics.Set("cpu", "cpu", qps: 0, p99Ms: null);

        await loop.SyncOnceAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await loop.SyncOnceAsync(CancellationToken.None);
        var idle = _book.Get(Model)!;

        Condition(idle, AutoscalerConditions.MetricsAvailable).Status.Should().Be("True", "no traffic at all is not missing data");
        Condition(idle, AutoscalerConditions.SloAtRisk).Should().Match<V1Condition>(c => c.Status == "False" && c.Reason == "NoTraffic");
        idle.Measured[Cpu].Should().Be(new MeasuredFigures(0, null));
        idle.Replicas[Cpu].Should().Be(2, "the minimum total serves an idle model");
        (await _cluster.EventsAsync()).Should().NotContain(e => e.Reason == AutoscalerLoop.MetricsMissingReason);
    }

    [Fact]
    public async Task SyncOnceAsync_ModelWhoseSpecAllowsZeroReplicas_StartsOneAndKeepsItWhileIdle()
    {
        using var loop = await StartAsync(poolNames: ["cpu"]);
        await _cluster.Client.For<Crds.RecModel>().PatchAsync("m", KubePatch.Merge(JsonNode.Parse("""{"spec":{"autoscaling":{"minTotalReplicas":0}}}""")!), "default");
        await _cluster.SyncedAsync(() => _cluster.Informers.For<Crds.RecModel>().Cache.List().Single().Spec.Autoscaling.MinTotalReplicas == 0);

        await loop.SyncOnceAsync(CancellationToken.None);
        var fromNothing = _book.Get(Model)!;
        await _cluster.CreateDeploymentAsync("m", "cpu", "cpu", replicas: 1, ready: 1);
        await _cluster.SyncedAsync(() => _cluster.Informers.For<V1Deployment>().Cache.List().Any(d => d.Status?.ReadyReplicas == 1));
        _metrics.Set("cpu", "cpu", qps: 0, p99Ms: null);
        for (var i = 0; i < 4; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(5));
            await loop.SyncOnceAsync(CancellationToken.None);
        }

        fromNothing.Replicas[Cpu].Should().Be(1, "with no pod there is no demand to measure: one replica starts so that there is");
        _book.Get(Model)!.Replicas[Cpu].Should().Be(1, "an idle model keeps the one replica its demand is measured on");
    }

    [Fact]
    public async Task SyncOnceAsync_SpecTheReconcilerRefuses_NotScaledUntilAValidGeneration()
    {
        using var loop = await StartAsync(poolNames: ["cpu"]);
        // Variant cpu in pool x-y and variant cpu-x in pool y would both name their Deployment m-cpu-x-y: the API server
        // takes it (no rule on one object sees that), validation does not.
        await _cluster.Client.For<Crds.RecModel>().PatchAsync("m", KubePatch.Json(JsonNode.Parse("""
            [{"op":"add","path":"/spec/variants/0/nodePools/-","value":"x-y"},
             {"op":"add","path":"/spec/variants/-","value":{"name":"cpu-x","hardware":"Cpu","artifact":{"uri":"file:///m.onnx"},"nodePools":["y"],"replicas":{"min":0,"max":5}}}]
            """)!.AsArray()), "default");
        await _cluster.SyncedAsync(() => _cluster.Informers.For<Crds.RecModel>().Cache.List().Single().Spec.Variants.Count == 2);
        _metrics.Set("cpu", "cpu", qps: 100, p99Ms: 20);

        await loop.SyncOnceAsync(CancellationToken.None);
        var whileInvalid = _book.Get(Model);
        var eventsWhileInvalid = await _cluster.EventsAsync();
        await _cluster.Client.For<Crds.RecModel>().PatchAsync("m", KubePatch.Json(JsonNode.Parse("""[{"op":"remove","path":"/spec/variants/1"}]""")!.AsArray()), "default");
        await _cluster.SyncedAsync(() => _cluster.Informers.For<Crds.RecModel>().Cache.List().Single().Spec.Variants.Count == 1);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await loop.SyncOnceAsync(CancellationToken.None);

        whileInvalid.Should().BeNull("a spec the reconciler marks InvalidSpec is not planned for");
        eventsWhileInvalid.Should().BeEmpty();
        _book.Get(Model)!.Replicas[Cpu].Should().Be(2, "the next generation is valid again: 120 QPS with headroom needs 2 replicas of 100");
    }

    [Fact]
    public async Task SyncOnceAsync_NewModelWhosePodsAreNotReadyYet_MetricsMissingSaysSoWithoutAWarning()
    {
        using var loop = await StartAsync(poolNames: ["cpu"]);

        await loop.SyncOnceAsync(CancellationToken.None);
        await _cluster.CreateDeploymentAsync("m", "cpu", "cpu", replicas: 2, ready: 0);
        await _cluster.SyncedAsync(() => _cluster.Informers.For<V1Deployment>().Cache.Count == 1);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await loop.SyncOnceAsync(CancellationToken.None);
        var starting = _book.Get(Model)!;

        Condition(starting, AutoscalerConditions.MetricsAvailable).Should().Match<V1Condition>(c => c.Status == "False"
            && c.Message == "demand could not be measured (no pod of the model is ready yet; cpu@cpu: not measured); replicas are held, never scaled down blind");
        (await _cluster.EventsAsync()).Should().NotContain(e => e.Reason == AutoscalerLoop.MetricsMissingReason,
            "with no pod ready there is nothing to measure: not an outage");
    }

    [Fact]
    public async Task SyncOnceAsync_NewLoopOverExistingDeployments_SeedsFromTheirReplicasAndDoesNotScaleDown()
    {
        await _cluster.CreatePoolAsync("cpu", cost: 1);
        await _cluster.CreateModelAsync("m", 100, "cpu");
        await _cluster.CreateDeploymentAsync("m", "cpu", "cpu", replicas: 6, ready: 6);
        using var loop = _cluster.Loop(_book, _clock, _metrics);
        _cluster.StartInformers();
        await _cluster.SyncedAsync(() => _cluster.Informers.For<V1Deployment>().Cache.Count == 1);
        _metrics.Set("cpu", "cpu", qps: 50, p99Ms: 10);

        await loop.SyncOnceAsync(CancellationToken.None);
        var first = _book.Get(Model)!;
        _clock.Advance(TimeSpan.FromSeconds(60));
        await loop.SyncOnceAsync(CancellationToken.None);
        var withinWindow = _book.Get(Model)!;
        var eventsWithinWindow = await _cluster.EventsAsync();
        _clock.Advance(TimeSpan.FromSeconds(90));
        await loop.SyncOnceAsync(CancellationToken.None);
        var afterWindow = _book.Get(Model)!;

        first.Replicas[Cpu].Should().Be(6, "a restarted operator takes the running Deployments as its last decision");
        withinWindow.Replicas[Cpu].Should().Be(6, "low demand removes capacity only after a full stabilization window");
        afterWindow.Replicas[Cpu].Should().BeLessThan(6, "the seed is a starting point, not a floor");
        eventsWithinWindow.Should().NotContain(e => e.Reason == AutoscalerLoop.ScaledDownReason || e.Reason == AutoscalerLoop.ScaledUpReason);
    }

    [Fact]
    public async Task Caches_BeforeAndAfterTheFirstList_HasSyncedFollowsEveryInformer()
    {
        // A restarted operator whose Deployment informer has not listed yet sees no Deployments: deciding then took a
        // running fleet for a new model and scaled it to the minimums (found by the operator-restart end-to-end test),
        // so the loop decides nothing until HasSynced.
        await _cluster.CreateDeploymentAsync("m", "cpu", "cpu", replicas: 6, ready: 6);
        var caches = AutoscalerCaches.From(_cluster.Informers);

        var before = caches.HasSynced();
        _cluster.StartInformers();
        await _cluster.SyncedAsync(() => true);

        before.Should().BeFalse();
        caches.HasSynced().Should().BeTrue();
    }

    [Fact]
    public async Task SyncOnceAsync_P99AboveSloAtLoad_PublishesTheRefinedCapacityEstimateWithItsSource()
    {
        await _cluster.CreatePoolAsync("cpu", cost: 1);
        await _cluster.CreateModelAsync("m", 100, "cpu");
        await _cluster.CreateDeploymentAsync("m", "cpu", "cpu", replicas: 4, ready: 4);
        using var loop = _cluster.Loop(_book, _clock, _metrics);
        _cluster.StartInformers();
        await _cluster.SyncedAsync(() => _cluster.Informers.For<V1Deployment>().Cache.Count == 1 && _cluster.Informers.For<Crds.RecModel>().Cache.Count == 1);

        _metrics.Set("cpu", "cpu", qps: 40, p99Ms: 10);
        await loop.SyncOnceAsync(CancellationToken.None);
        var light = _book.Get(Model)!;
        _clock.Advance(TimeSpan.FromSeconds(5));
        _metrics.Set("cpu", "cpu", qps: 400, p99Ms: 80);
        await loop.SyncOnceAsync(CancellationToken.None);
        var breached = _book.Get(Model)!;

        light.Capacity["cpu"].Should().Be(new CapacityEstimate(100, CapacitySource.Profile), "10 QPS per replica says nothing about capacity");
        breached.Capacity["cpu"].Should().Be(new CapacityEstimate(62.5, CapacitySource.Observed) { BrokenAtQps = 100 },
            "100 QPS per ready replica gave p99 80 ms against a 50 ms SLO: capacity is about 100 x 50/80, and below 100");
        breached.TrafficWeights[Cpu].Should().Be(1);
    }

    [Fact]
    public async Task SyncOnceAsync_UnschedulablePodsInFullPool_SpillsToNextCheapestPool()
    {
        using var loop = await StartAsync(poolNames: ["spot", "ondemand"]);
        _metrics.Set("cpu", "spot", qps: 500, p99Ms: 20);
        await loop.SyncOnceAsync(CancellationToken.None);
        var wanted = _book.Get(Model)!;
        var spilled = await SpotHoldsFourOfSixAsync(loop);

        wanted.Replicas.Should().Equal(new Dictionary<PlacementKey, int> { [new("cpu", "spot")] = 6 }, "the cheap pool is tried first");
        spilled.Replicas.GetValueOrDefault(new PlacementKey("cpu", "ondemand")).Should().BeGreaterThanOrEqualTo(2, "the two pods spot cannot hold go to the next pool");
        spilled.LastScale[new PlacementKey("cpu", "ondemand")].Reason.Should().Contain("PoolFull");
    }

    [Fact]
    public async Task SyncOnceAsync_FullPoolGainsNodes_ReplicasMoveBackWithoutWaitingOutTheBackoff()
    {
        var spot = new PlacementKey("cpu", "spot");
        using var loop = await StartAsync(poolNames: ["spot", "ondemand"]);
        // The NodePool controller counts 6 slots on spot, but other workloads on its nodes leave room for only 4.
        await _cluster.SetPoolStatusAsync("spot", allocatable: 6, allocated: 0);
        await _cluster.SyncedAsync(() => _cluster.Informers.For<Crds.NodePool>().Cache.List().Any(p => p.Status?.AllocatableSlots == 6));
        _metrics.Set("cpu", "spot", qps: 500, p99Ms: 20);
        await loop.SyncOnceAsync(CancellationToken.None);
        var spilled = await SpotHoldsFourOfSixAsync(loop);

        // The spill has been applied: the pending pods are gone, and spot runs what it holds.
        await _cluster.Client.For<V1Pod>().DeleteAsync("m-cpu-spot-a", "default");
        await _cluster.Client.For<V1Pod>().DeleteAsync("m-cpu-spot-b", "default");
        await _cluster.SyncedAsync(() => !_cluster.Informers.For<V1Pod>().Cache.List().Any(ObservedFleet.IsUnschedulable));
        _clock.Advance(TimeSpan.FromSeconds(5));
        await loop.SyncOnceAsync(CancellationToken.None);
        var stillAvoided = _book.Get(Model)!;

        await _cluster.SetPoolStatusAsync("spot", allocatable: 12, allocated: 0);
        await _cluster.SyncedAsync(() => _cluster.Informers.For<Crds.NodePool>().Cache.List().Any(p => p.Status?.AllocatableSlots == 12));
        _clock.Advance(TimeSpan.FromSeconds(5));
        await loop.SyncOnceAsync(CancellationToken.None);
        var movedBack = _book.Get(Model)!;

        spilled.Replicas[spot].Should().Be(4, "spot scheduled 4 of its 6 pods");
        stillAvoided.Replicas[spot].Should().Be(4, "nothing shows spot has room: it stays limited for the back-off");
        movedBack.Replicas[spot].Should().Be(6, "spot's capacity grew from 6 to 12 replicas, so it is tried again at once");
        movedBack.LastScale[spot].Reason.Should().Contain("PoolGrew: pool spot now holds 12 replicas (6 when it was found full)");
    }

    [Fact]
    public async Task SyncOnceAsync_WatchNamespaceSet_PlansAndWritesEventsOnlyForThatNamespacesModels()
    {
        await _cluster.CreatePoolAsync("cpu", cost: 1);
        await _cluster.CreateNamespaceAsync("other");
        await _cluster.CreateModelAsync("m", 100, "cpu");
        await _cluster.CreateModelAsync("other", "theirs", 100, "cpu");
        using var loop = _cluster.Loop(_book, _clock, _metrics, watchNamespace: "default");
        _cluster.StartInformers();
        await _cluster.SyncedAsync(() => _cluster.Informers.For<Crds.RecModel>("default").Cache.Count == 1);
        _metrics.Set("cpu", "cpu", qps: 100, p99Ms: 20);

        await loop.SyncOnceAsync(CancellationToken.None);

        _book.Get(Model).Should().NotBeNull("the model in the watched namespace is planned");
        _book.Get(new ObjectKey("other", "theirs")).Should().BeNull("an operator started with --namespace default does not manage models elsewhere");
        _cluster.Informers.Informers.OfType<SharedInformer<V1Pod>>().Should().ContainSingle()
            .Which.Should().BeSameAs(_cluster.Informers.For<V1Pod>("default"), "no cluster-wide pod watch is opened (a namespaced operator may lack the RBAC for one)");
        (await _cluster.Client.For<EventsV1Event>().ListAsync("other")).Items.Should().BeEmpty("no Events are written on models the operator does not manage");
    }

    /// <summary>Spot runs 6 replicas of which 2 stay Pending (Unschedulable); the plan of the next sync.</summary>
    private async Task<FleetPlan> SpotHoldsFourOfSixAsync(AutoscalerLoop loop)
    {
        await _cluster.CreateDeploymentAsync("m", "cpu", "spot", replicas: 6, ready: 4);
        await _cluster.CreateUnschedulablePodAsync("m-cpu-spot-a", "m", "cpu", "spot");
        await _cluster.CreateUnschedulablePodAsync("m-cpu-spot-b", "m", "cpu", "spot");
        await _cluster.SyncedAsync(() => _cluster.Informers.For<V1Pod>().Cache.List().Count(ObservedFleet.IsUnschedulable) == 2
            && _cluster.Informers.For<V1Deployment>().Cache.Count == 1);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await loop.SyncOnceAsync(CancellationToken.None);
        return _book.Get(Model)!;
    }

    private async Task<AutoscalerLoop> StartAsync(string[] poolNames)
    {
        for (var i = 0; i < poolNames.Length; i++)
        {
            await _cluster.CreatePoolAsync(poolNames[i], cost: 1 + (2 * i));
        }

        await _cluster.CreateModelAsync("m", 100, poolNames);
        var loop = _cluster.Loop(_book, _clock, _metrics, loggers: _log);
        _cluster.StartInformers();
        await _cluster.SyncedAsync(() => _cluster.Informers.For<Crds.RecModel>().Cache.Count == 1 && _cluster.Informers.For<Crds.NodePool>().Cache.Count == poolNames.Length);
        return loop;
    }

    private static V1Condition Condition(FleetPlan plan, string type) => plan.Conditions.Single(c => c.Type == type);
}
