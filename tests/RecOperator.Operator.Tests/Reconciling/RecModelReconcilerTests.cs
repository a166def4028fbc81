using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// The RecModel reconciler called directly against a real API surface (the in-process DevCluster), as envtest
/// tests do: children appear with owner references, follow spec changes in place, are pruned and collected.
/// </summary>
public sealed class RecModelReconcilerTests : IAsyncLifetime
{
    private static readonly ObjectKey Sample = new("default", "ranking-ctr");

    // 25 characters: a valid object name the API server stores, over the operator's 22 (it prefixes Service names).
    private const string TooLongName = "ranking-ctr-name-too-long";
    private readonly OperatorCluster _cluster = new();
    private readonly RecordingHandler _recorder = new();
    private KubeApiClient _client = null!;

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        _client = _cluster.NewClient(_recorder);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Reconcile_NewSample_CreatesDeploymentServicesAndBudgetOwnedByTheModel()
    {
        var model = await _cluster.CreateSampleAsync();

        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);

        var deployments = await _cluster.OwnedAsync<V1Deployment>("ranking-ctr");
        var services = await _cluster.OwnedAsync<V1Service>("ranking-ctr");
        var budgets = await _cluster.OwnedAsync<V1PodDisruptionBudget>("ranking-ctr");
        // No plan yet: the minimums at least cost, i.e. minTotalReplicas (2) of the int8 variant on spot CPUs.
        deployments.Select(d => (d.Metadata!.Name, d.Spec!.Replicas)).Should().BeEquivalentTo([("ranking-ctr-cpu-int8-cpu-spot", (int?)2)]);
        services.Select(s => s.Metadata!.Name).Should().BeEquivalentTo(["ranking-ctr", "ranking-ctr-cpu-int8"]);
        budgets.Select(b => b.Metadata!.Name).Should().BeEquivalentTo(["ranking-ctr-cpu-int8-cpu-spot"]);
        foreach (var metadata in deployments.Select(d => d.Metadata).Concat(services.Select(s => s.Metadata)).Concat(budgets.Select(b => b.Metadata)))
        {
            metadata!.OwnerReferences.Should().ContainSingle(o => o.Uid == model.Metadata!.Uid && o.Controller == true && o.Kind == "RecModel");
        }

        var status = (await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default")).Status!;
        status.ObservedGeneration.Should().Be(1);
        status.Variants.Single(v => v.Name == "cpu-int8").Pools.Single(p => p.Pool == "cpu-spot").DesiredReplicas.Should().Be(2);
        status.Variants.Single(v => v.Name == "cpu-int8").Should().Match<Crds.Models.VariantStatus>(
            v => v.CapacityQpsPerReplica == 495 && v.CapacitySource == "Profile",
            "without a plan, the estimate the autoscaler starts from: 450 QPS measured at 18 ms against a 25 ms SLO, with 10% slack");
        status.Conditions.Should().Contain(c => c.Type == Conditions.Ready && c.Status == "False" && c.Reason == "ReplicasNotReady");
        status.Conditions.Should().Contain(c => c.Type == Conditions.InvalidSpec && c.Status == "False");
    }

    [Fact]
    public async Task Reconcile_DeploymentRollsOutThenIsReady_ProgressingThenReadyWithPerPoolCountsAndNormalEvents()
    {
        await _cluster.CreateSampleAsync();
        var reconciler = _cluster.NewReconciler(_client);
        const string name = "ranking-ctr-cpu-int8-cpu-spot";

        var first = await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        var rolling = await StatusAsync();
        // The Deployment controller has started one of the two pods.
        await PatchDeploymentStatusAsync(name, replicas: 2, updated: 2, ready: 1);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        var partly = await StatusAsync();
        await PatchDeploymentStatusAsync(name, replicas: 2, updated: 2, ready: 2);
        var last = await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        var ready = await StatusAsync();

        first.Requeue.Should().Be(RecModelReconciler.UnsettledRecheck, "pods are not watched, so an unsettled model is looked at again");
        Condition(rolling, Conditions.Progressing).Should().Match<V1Condition>(c => c.Status == "True" && c.Reason == "RollingOut" && c.Message == "0 of 2 replicas ready; rolling out: ranking-ctr-cpu-int8-cpu-spot");
        Condition(rolling, Conditions.Ready).Should().Match<V1Condition>(c => c.Status == "False" && c.Message == "not ready: cpu-int8@cpu-spot 0/2");
        Pool(partly).Should().Match<Crds.Models.VariantPoolStatus>(p => p.Replicas == 2 && p.ReadyReplicas == 1 && p.DesiredReplicas == 2);
        Condition(partly, Conditions.Ready).Message.Should().Be("not ready: cpu-int8@cpu-spot 1/2");

        last.Should().Be(ReconcileResult.Done, "a settled model waits for the next change");
        Condition(ready, Conditions.Ready).Should().Match<V1Condition>(c => c.Status == "True" && c.Reason == "ReplicasReady" && c.Message == "2 of 2 replicas ready" && c.ObservedGeneration == 1);
        Condition(ready, Conditions.Progressing).Should().Match<V1Condition>(c => c.Status == "False" && c.Reason == "Complete");
        Condition(ready, Conditions.Degraded).Status.Should().Be("False");
        Pool(ready).Should().Match<Crds.Models.VariantPoolStatus>(p => p.Replicas == 2 && p.ReadyReplicas == 2 && p.DesiredReplicas == 2);
        ready.Variants.Single(v => v.Name == "cpu-int8").ReadyReplicas.Should().Be(2);
        (ready.Replicas, ready.ReadyReplicas).Should().Be((2, 2));
        ready.Variants.Single(v => v.Name == "gpu-fp16").Pools.Single().Should().Match<Crds.Models.VariantPoolStatus>(p => p.Replicas == 0 && p.DesiredReplicas == 0);

        var events = (await _cluster.User.For<EventsV1Event>().ListAsync("default")).Items.Where(e => e.Regarding?.Name == "ranking-ctr").ToList();
        events.Where(e => e.Reason == "Created").Select(e => (e.Type, e.Note)).Should().BeEquivalentTo(
        [
            ("Normal", "Created Deployment ranking-ctr-cpu-int8-cpu-spot"), ("Normal", "Created Service ranking-ctr"),
            ("Normal", "Created Service ranking-ctr-cpu-int8"), ("Normal", "Created PodDisruptionBudget ranking-ctr-cpu-int8-cpu-spot"),
            ("Normal", "Created ConfigMap ranking-ctr-routing"),
        ]);
        events.Should().ContainSingle(e => e.Reason == "ReplicasReady").Which.Type.Should().Be("Normal");
        events.Should().NotContain(e => e.Type == "Warning");
    }

    [Fact]
    public async Task Reconcile_PoolRemovedFromTheVariant_PrunesThatPoolsDeploymentOnly()
    {
        await _cluster.CreateSampleAsync();
        var plans = new FleetPlanBook();
        plans.Publish(Sample, new FleetPlan
        {
            Replicas = new Dictionary<PlacementKey, int> { [new("cpu-int8", "cpu-spot")] = 2, [new("cpu-int8", "cpu-ondemand")] = 2 },
        });
        var reconciler = _cluster.NewReconciler(_client, plans);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Should().HaveCount(2);
        var kept = await _cluster.User.For<V1Deployment>().GetAsync("ranking-ctr-cpu-int8-cpu-spot", "default");

        await PatchVariantAsync(0, new JsonObject { ["nodePools"] = new JsonArray("cpu-spot") });
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Select(d => d.Metadata!.Name).Should().BeEquivalentTo(["ranking-ctr-cpu-int8-cpu-spot"]);
        (await _cluster.OwnedAsync<V1PodDisruptionBudget>("ranking-ctr")).Select(d => d.Metadata!.Name).Should().BeEquivalentTo(["ranking-ctr-cpu-int8-cpu-spot"]);
        (await _cluster.OwnedAsync<V1Service>("ranking-ctr")).Select(d => d.Metadata!.Name).Should().BeEquivalentTo(
            ["ranking-ctr", "ranking-ctr-cpu-int8"], "the variant still runs, so its Service stays");
        (await _cluster.User.For<V1Deployment>().GetAsync("ranking-ctr-cpu-int8-cpu-spot", "default")).Metadata!.Uid.Should().Be(kept.Metadata!.Uid);
        (await _cluster.User.For<EventsV1Event>().ListAsync("default")).Items.Should().Contain(
            e => e.Reason == "Deleted" && e.Note == "Deleted Deployment ranking-ctr-cpu-int8-cpu-ondemand" && e.Type == "Normal");
    }

    [Fact]
    public async Task Reconcile_PoolRemovedWhileItsPodsServe_KeepsThatDeploymentUntilTheReplacementIsReady()
    {
        await _cluster.CreateSampleAsync();
        var reconciler = _cluster.NewReconciler(_client);
        const string spot = "ranking-ctr-cpu-int8-cpu-spot", onDemand = "ranking-ctr-cpu-int8-cpu-ondemand";
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        await PatchDeploymentStatusAsync(spot, replicas: 2, updated: 2, ready: 2);
        var spotUid = (await _cluster.User.For<V1Deployment>().GetAsync(spot, "default")).Metadata!.Uid;

        await PatchVariantAsync(0, new JsonObject { ["nodePools"] = new JsonArray("cpu-ondemand") });
        var moving = await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        var namesWhileMoving = (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Select(d => d.Metadata!.Name).ToList();
        var budgetsWhileMoving = (await _cluster.OwnedAsync<V1PodDisruptionBudget>("ranking-ctr")).Select(d => d.Metadata!.Name).ToList();
        var statusWhileMoving = await StatusAsync();
        var spotWhileMoving = await _cluster.User.For<V1Deployment>().GetAsync(spot, "default");
        await PatchDeploymentStatusAsync(onDemand, replicas: 2, updated: 2, ready: 1);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        var namesHalfReady = (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Select(d => d.Metadata!.Name).ToList();
        await PatchDeploymentStatusAsync(onDemand, replicas: 2, updated: 2, ready: 2);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        // The spot pods serve through the variant's Service while the on-demand ones start: pruning them at once left the
        // variant with nothing ready.
        namesWhileMoving.Should().BeEquivalentTo([spot, onDemand]);
        budgetsWhileMoving.Should().BeEquivalentTo([spot, onDemand], "the kept pods stay protected from voluntary evictions while they are what serves");
        spotWhileMoving.Metadata!.Uid.Should().Be(spotUid);
        spotWhileMoving.Spec!.Replicas.Should().Be(2, "kept as it was, not scaled down before the replacement serves");
        moving.Requeue.Should().Be(RecModelReconciler.UnsettledRecheck);
        Condition(statusWhileMoving, Conditions.Progressing).Message.Should().Be(
            "0 of 2 replicas ready; rolling out: ranking-ctr-cpu-int8-cpu-ondemand; leaving once the replacements are ready: cpu-int8@cpu-spot (ranking-ctr-cpu-int8-cpu-spot, 2 ready)");
        namesHalfReady.Should().BeEquivalentTo([spot, onDemand], "one of the two replacements is not ready yet");
        (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Select(d => d.Metadata!.Name).Should().BeEquivalentTo([onDemand]);
        (await _cluster.OwnedAsync<V1PodDisruptionBudget>("ranking-ctr")).Select(d => d.Metadata!.Name).Should().BeEquivalentTo([onDemand], "the budget leaves with its Deployment");
        Condition(await StatusAsync(), Conditions.Progressing).Reason.Should().Be("Complete");
        (await _cluster.User.For<EventsV1Event>().ListAsync("default")).Items.Should().Contain(e => e.Reason == "Deleted" && e.Note == $"Deleted Deployment {spot}");
    }

    [Fact]
    public async Task Reconcile_HardwareEditedToFitNoneOfTheVariantsPools_ServingDeploymentKeptAndStatusSaysWhy()
    {
        await _cluster.CreateSampleAsync();
        var reconciler = _cluster.NewReconciler(_client);
        const string spot = "ranking-ctr-cpu-int8-cpu-spot";
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        await PatchDeploymentStatusAsync(spot, replicas: 2, updated: 2, ready: 2);
        var spotUid = (await _cluster.User.For<V1Deployment>().GetAsync(spot, "default")).Metadata!.Uid;

        // A Gpu variant cannot run in the Cpu pools it lists: nothing would replace the pods that serve now.
        await PatchVariantAsync(0, new JsonObject { ["hardware"] = "Gpu" });
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        var status = await StatusAsync();

        (await _cluster.User.For<V1Deployment>().GetAsync(spot, "default")).Metadata!.Uid.Should().Be(spotUid, "a spec mistake must not take a serving variant down");
        Condition(status, Conditions.Degraded).Reason.Should().Be(Conditions.HardwareMismatch);
        Condition(status, Conditions.Progressing).Message.Should().EndWith(
            "kept while their variant may run in no pool: cpu-int8@cpu-spot (ranking-ctr-cpu-int8-cpu-spot, 2 ready)");
    }

    [Fact]
    public async Task Reconcile_ExistingDeploymentWithoutPlan_KeepsObservedReplicas()
    {
        await _cluster.CreateSampleAsync();
        var reconciler = _cluster.NewReconciler(_client);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        // Someone (the autoscaler of an earlier run) scaled it to 5; a restarted operator with no plan must keep that.
        await _cluster.User.For<V1Deployment>().UpdateScaleAsync("ranking-ctr-cpu-int8-cpu-spot",
            new V1Scale { Metadata = new V1ObjectMeta { Name = "ranking-ctr-cpu-int8-cpu-spot", Namespace = "default" }, Spec = new V1ScaleSpec { Replicas = 5 } }, "default");

        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);

        (await _cluster.User.For<V1Deployment>().GetAsync("ranking-ctr-cpu-int8-cpu-spot", "default")).Spec!.Replicas.Should().Be(5);
    }

    [Fact]
    public async Task Reconcile_Plan_AppliesPlannedReplicasWeightsAndFigures()
    {
        await _cluster.CreateSampleAsync();
        var plans = new FleetPlanBook();
        var spot = new PlacementKey("cpu-int8", "cpu-spot");
        var gpu = new PlacementKey("gpu-fp16", "gpu");
        plans.Publish(Sample, new FleetPlan
        {
            Replicas = new Dictionary<PlacementKey, int> { [spot] = 3, [gpu] = 1 },
            TrafficWeights = new Dictionary<PlacementKey, double> { [spot] = 0.25, [gpu] = 0.75 },
            Measured = new Dictionary<PlacementKey, MeasuredFigures> { [spot] = new(1000, 12), [gpu] = new(3000, 8) },
            Capacity = new Dictionary<string, CapacityEstimate> { ["cpu-int8"] = new(512.3456, CapacitySource.Observed), ["gpu-fp16"] = CapacityEstimate.FromProfile(6000) },
            Conditions = [Conditions.Make("MetricsAvailable", true, "Scraped", "2 of 2 pairs measured", 1, DateTimeOffset.UtcNow)],
        });

        var reconciler = _cluster.NewReconciler(_client, plans);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        // Figures are written where pods are ready.
        await PatchDeploymentStatusAsync("ranking-ctr-cpu-int8-cpu-spot", replicas: 3, updated: 3, ready: 3);
        await PatchDeploymentStatusAsync("ranking-ctr-gpu-fp16-gpu", replicas: 1, updated: 1, ready: 1);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        var deployments = await _cluster.OwnedAsync<V1Deployment>("ranking-ctr");
        deployments.Select(d => (d.Metadata!.Name, d.Spec!.Replicas)).Should().BeEquivalentTo(
            [("ranking-ctr-cpu-int8-cpu-spot", (int?)3), ("ranking-ctr-gpu-fp16-gpu", (int?)1)]);
        (await _cluster.OwnedAsync<V1PodDisruptionBudget>("ranking-ctr")).Should().ContainSingle("only the pair with more than one replica gets a budget");
        var routing = await _cluster.User.For<V1ConfigMap>().GetAsync(ChildNames.RoutingConfigMap("ranking-ctr"), "default");
        JsonNode.Parse(routing.Data![RoutingBuilder.WeightsKey])!.ToJsonString().Should().Be("""{"ranking-ctr-cpu-int8":250,"ranking-ctr-gpu-fp16":750}""");
        routing.Metadata!.Annotations![RoutingBuilder.RouteForAnnotation].Should().Be("ranking-ctr");
        var status = (await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default")).Status!;
        status.Qps.Should().Be(4000);
        status.P99LatencyMs.Should().Be(12);
        status.Variants.Single(v => v.Name == "gpu-fp16").Pools.Single().TrafficWeight.Should().Be(0.75);
        status.Variants.Select(v => (v.Name, v.CapacityQpsPerReplica, v.CapacitySource)).Should().BeEquivalentTo(
            [("cpu-int8", (double?)512.35, "Observed"), ("cpu-fp32", (double?)200, "Profile"), ("gpu-fp16", (double?)6000, "Profile")],
            "the plan's estimates, and the starting estimate for a variant the plan has none for (its profile has no p99: no slack)");
        status.Conditions.Should().Contain(c => c.Type == "MetricsAvailable" && c.Status == "True");
    }

    [Fact]
    public async Task Reconcile_VariantChanged_UpdatesDeploymentInPlace()
    {
        await _cluster.CreateSampleAsync();
        var reconciler = _cluster.NewReconciler(_client);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        var before = await _cluster.User.For<V1Deployment>().GetAsync("ranking-ctr-cpu-int8-cpu-spot", "default");

        await PatchVariantAsync(0, new JsonObject { ["artifact"] = new JsonObject { ["uri"] = "file:///models/v2/model.onnx" } });
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        var after = await _cluster.User.For<V1Deployment>().GetAsync("ranking-ctr-cpu-int8-cpu-spot", "default");
        after.Metadata!.Uid.Should().Be(before.Metadata!.Uid, "the Deployment is updated, not recreated");
        after.Spec!.Template!.Spec!.Containers.Single().Env!.Should().Contain(e => e.Value == "file:///models/v2/model.onnx");
        after.Metadata.Generation.Should().BeGreaterThan(before.Metadata.Generation!.Value);
    }

    [Fact]
    public async Task Reconcile_VariantRemoved_PrunesItsDeploymentServiceAndBudget()
    {
        await _cluster.CreateSampleAsync();
        var plans = new FleetPlanBook();
        plans.Publish(Sample, new FleetPlan
        {
            Replicas = new Dictionary<PlacementKey, int> { [new("cpu-int8", "cpu-spot")] = 2, [new("cpu-fp32", "cpu-ondemand")] = 2 },
        });
        var reconciler = _cluster.NewReconciler(_client, plans);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Should().HaveCount(2);

        var model = await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default");
        var json = System.Text.Json.JsonSerializer.SerializeToNode(model, CrdsJsonContext.Default.RecModel)!;
        json["spec"]!["variants"]!.AsArray().RemoveAt(1);
        await _cluster.User.Unstructured(RecModel.Descriptor).UpdateAsync(json.AsObject());
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Select(d => d.Metadata!.Name).Should().BeEquivalentTo(["ranking-ctr-cpu-int8-cpu-spot"]);
        (await _cluster.OwnedAsync<V1Service>("ranking-ctr")).Select(d => d.Metadata!.Name).Should().BeEquivalentTo(["ranking-ctr", "ranking-ctr-cpu-int8"]);
        (await _cluster.OwnedAsync<V1PodDisruptionBudget>("ranking-ctr")).Select(d => d.Metadata!.Name).Should().BeEquivalentTo(["ranking-ctr-cpu-int8-cpu-spot"]);
    }

    [Fact]
    public async Task Delete_RecModel_GarbageCollectorRemovesEveryChild()
    {
        await _cluster.CreateSampleAsync();
        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);
        (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Should().NotBeEmpty();

        await _cluster.User.For<RecModel>().DeleteAsync("ranking-ctr", "default");

        await OperatorCluster.EventuallyAsync(async () =>
            (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Count == 0
            && (await _cluster.OwnedAsync<V1Service>("ranking-ctr")).Count == 0
            && (await _cluster.OwnedAsync<V1PodDisruptionBudget>("ranking-ctr")).Count == 0
            && (await _cluster.OwnedAsync<V1ConfigMap>("ranking-ctr")).Count == 0,
            "the garbage collector removed the model's children");
    }

    [Fact]
    public async Task Reconcile_ConcurrentWriter_ConvergesAndKeepsTheUsersLabel()
    {
        await _cluster.CreateSampleAsync();
        var reconciler = _cluster.NewReconciler(_client);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        var deployments = _cluster.User.For<V1Deployment>();
        const string name = "ranking-ctr-cpu-int8-cpu-spot";
        // A user labels the Deployment, and another tool takes over a field the operator owns.
        await deployments.PatchAsync(name, KubePatch.Merge(JsonNode.Parse("""{"metadata":{"labels":{"team":"ranking"}}}""")!), "default");
        await deployments.PatchAsync(name, KubePatch.Apply(JsonNode.Parse(
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"ranking-ctr-cpu-int8-cpu-spot","namespace":"default"},"spec":{"revisionHistoryLimit":9}}""")!,
            "other-tool", force: true), "default");

        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        var after = await deployments.GetAsync(name, "default");
        after.Metadata!.Labels!["team"].Should().Be("ranking", "apply leaves fields other managers own alone");
        after.Spec!.RevisionHistoryLimit.Should().Be(3, "the operator forces back the fields it owns");
        var again = after.Metadata.ResourceVersion;
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        (await deployments.GetAsync(name, "default")).Metadata!.ResourceVersion.Should().Be(again, "a converged object is not written again");
    }

    [Fact]
    public async Task Reconcile_NothingChangedSinceTheLast_ReadsButWritesNothing()
    {
        await _cluster.CreateSampleAsync();
        var reconciler = _cluster.NewReconciler(_client);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        var applied = _recorder.Requests.Count(r => r.Method == "PATCH" && r.ContentType == "application/apply-patch+yaml" && !r.Path.EndsWith("/status", StringComparison.Ordinal));
        _recorder.Requests.Clear();

        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        applied.Should().BeGreaterThanOrEqualTo(4, "the first reconcile applied a Deployment, two Services, a budget and the routing ConfigMap");
        _recorder.Requests.Where(r => r.IsWrite).Should().BeEmpty("every child already holds its intent (stamped with its hash), so no apply is sent");
        _recorder.Requests.Should().OnlyContain(r => r.Method == "GET");
    }

    [Fact]
    public async Task Reconcile_SemanticallyInvalidSpec_SetsInvalidSpecAndTouchesNoChild()
    {
        await _cluster.CreateSampleAsync();
        var reconciler = _cluster.NewReconciler(_client);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        var before = (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Single().Metadata!.ResourceVersion;
        // Its name is too long to prefix the names of its Services. The CRD's rule on the object refuses it, so it is
        // taken out first: an API server that does not check it (an older CRD, no CEL) stores the model.
        await _cluster.WithoutRecModelObjectRulesAsync();
        await _cluster.CreateSampleAsync(TooLongName);
        _recorder.Requests.Clear();

        var result = await reconciler.ReconcileAsync(new ObjectKey("default", TooLongName), CancellationToken.None);

        result.TerminalReason.Should().Contain("metadata.name");
        var status = (await _cluster.User.For<RecModel>().GetAsync(TooLongName, "default")).Status!;
        status.Conditions.Should().ContainSingle(c => c.Type == Conditions.InvalidSpec && c.Status == "True" && c.Reason == "ValidationFailed")
            .Which.Message.Should().Contain("metadata.name: must be at most 22 characters");
        status.ObservedGeneration.Should().Be(1);
        (await _cluster.OwnedAsync<V1Deployment>(TooLongName)).Should().BeEmpty();
        (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Single().Metadata!.ResourceVersion.Should().Be(before, "another model's children are not touched");
        _recorder.Requests.Where(r => r.IsWrite).Select(r => r.Path).Should().OnlyContain(p => p.Contains($"/recmodels/{TooLongName}/status") || p.Contains("/events"));
    }

    [Fact]
    public async Task Create_NameOverTheLimit_RefusedByTheCrdsRuleNamingTheLimit()
    {
        var create = () => _cluster.CreateSampleAsync(TooLongName);

        (await create.Should().ThrowAsync<KubeInvalidException>())
            .Which.Message.Should().Contain("metadata.name must be at most 22 characters");
        (await _cluster.User.For<RecModel>().TryGetAsync(TooLongName, "default")).Should().BeNull();
    }

    [Fact]
    public async Task Reconcile_RepeatedWarning_CountsOnOneEvent()
    {
        await _cluster.WithoutRecModelObjectRulesAsync();
        await _cluster.CreateSampleAsync(TooLongName);
        var reconciler = _cluster.NewReconciler(_client);

        for (var i = 0; i < 3; i++)
        {
            await reconciler.ReconcileAsync(new ObjectKey("default", TooLongName), CancellationToken.None);
        }

        var events = (await _cluster.User.For<EventsV1Event>().ListAsync("default")).Items.Where(e => e.Reason == Conditions.InvalidSpec).ToList();
        events.Should().ContainSingle().Which.Series!.Count.Should().Be(3);
        events[0].Type.Should().Be("Warning");
        events[0].Regarding!.Name.Should().Be(TooLongName);
    }

    [Fact]
    public async Task Reconcile_GatewayApiInstalled_AppliesGammaHttpRouteAndRemovesTheConfigMap()
    {
        await _cluster.CreateSampleAsync();
        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);
        (await _cluster.OwnedAsync<V1ConfigMap>("ranking-ctr")).Should().ContainSingle();
        await _cluster.ApplyAsync(YamlDocuments.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("tests", "RecOperator.Operator.Tests", "testassets", "gateway", "httproutes-crd.yaml"))).Single().AsObject());

        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);

        var route = await _cluster.User.Unstructured(RoutingBuilder.HttpRouteDescriptor).GetAsync("ranking-ctr", "default");
        route["spec"]!["parentRefs"]![0]!.ToJsonString().Should().Be("""{"group":"","kind":"Service","name":"ranking-ctr","port":8080}""",
            "the route takes the REST port only: without a port a mesh would send gRPC to the REST backends too");
        route["spec"]!["rules"]![0]!["backendRefs"]!.ToJsonString().Should().Be("""[{"group":"","kind":"Service","name":"ranking-ctr-cpu-int8","port":8080,"weight":1000}]""");
        route["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        (await _cluster.OwnedAsync<V1ConfigMap>("ranking-ctr")).Should().BeEmpty("one source of weights per Service");
    }

    [Fact]
    public async Task Reconcile_GrpcRouteServedToo_AppliesAGrpcRouteOnTheGrpcPort()
    {
        await _cluster.CreateSampleAsync();
        foreach (var crd in new[] { RepoPaths.Combine("tests", "RecOperator.Operator.Tests", "testassets", "gateway", "httproutes-crd.yaml"), RepoPaths.Combine("manifests", "gateway-api", "grpcroute-crd.yaml") })
        {
            await _cluster.ApplyAsync(YamlDocuments.Parse(await File.ReadAllTextAsync(crd)).Single().AsObject());
        }

        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);

        var route = await _cluster.User.Unstructured(RoutingBuilder.GrpcRouteDescriptor).GetAsync("ranking-ctr", "default");
        route["kind"]!.GetValue<string>().Should().Be("GRPCRoute");
        route["spec"]!["parentRefs"]![0]!.ToJsonString().Should().Be("""{"group":"","kind":"Service","name":"ranking-ctr","port":8081}""");
        route["spec"]!["rules"]![0]!["backendRefs"]!.ToJsonString().Should().Be("""[{"group":"","kind":"Service","name":"ranking-ctr-cpu-int8","port":8081,"weight":1000}]""");
        (await _cluster.User.Unstructured(RoutingBuilder.HttpRouteDescriptor).GetAsync("ranking-ctr", "default"))["spec"]!["parentRefs"]![0]!["port"]!
            .GetValue<int>().Should().Be(8080);
    }

    [Fact]
    public async Task Reconcile_UnschedulablePod_DegradedNoCapacity()
    {
        await _cluster.CreateSampleAsync();
        var labels = ChildLabels.For("ranking-ctr", "cpu-int8", "cpu-spot");
        var pods = _cluster.User.For<V1Pod>();
        await pods.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "stuck", Namespace = "default", Labels = labels },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "recpod", Image = "ghcr.io/recoperator/recpod:0.1.0" }] },
        }, "default");
        await pods.PatchStatusAsync("stuck", KubePatch.Merge(JsonNode.Parse(
            """{"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/6 nodes are available: 2 Insufficient cpu, 4 node(s) didn't match Pod's node affinity/selector."}]}}""")!), "default");

        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);

        var status = (await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default")).Status!;
        status.Conditions.Should().ContainSingle(c => c.Type == Conditions.Degraded && c.Status == "True" && c.Reason == Conditions.NoCapacity)
            .Which.Message.Should().Be("1 pod cannot be scheduled: cpu-int8@cpu-spot: 0/6 nodes are available: 2 Insufficient cpu, 4 node(s) didn't match Pod's node affinity/selector.",
                "the scheduler's reason says whether it is room or a selector, not only that the pod waits");
        (await _cluster.User.For<EventsV1Event>().ListAsync("default")).Items.Should().Contain(e => e.Reason == Conditions.NoCapacity && e.Type == "Warning");
    }

    [Fact]
    public async Task Reconcile_PodHeldBackByAMissingCaConfigMap_DegradedArtifactCaUnavailableWithAWarningEvent()
    {
        await _cluster.CreateSampleAsync();
        var pods = _cluster.User.For<V1Pod>();
        await pods.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "held", Namespace = "default", Labels = ChildLabels.For("ranking-ctr", "cpu-int8", "cpu-spot") },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "recpod", Image = "ghcr.io/recoperator/recpod:0.1.0" }] },
        }, "default");
        // What the node agent writes for a pod whose caBundle volume it cannot set up (see ArtifactCaBundleOnDevClusterTests for the real one).
        await pods.PatchStatusAsync("held", KubePatch.Merge(JsonNode.Parse("""
            {"status":{"phase":"Pending","containerStatuses":[{"name":"recpod","image":"i","imageID":"","ready":false,"restartCount":0,
              "state":{"waiting":{"reason":"CreateContainerConfigError","message":"MountVolume.SetUp failed for volume \"artifact-ca\" : configmap \"store-ca\" not found"}}}]}}
            """)!), "default");

        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);

        var status = (await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default")).Status!;
        const string message = "variant cpu-int8 cannot mount its artifact caBundle: configmap \"store-ca\" not found";
        status.Conditions.Should().ContainSingle(c => c.Type == Conditions.Degraded && c.Status == "True" && c.Reason == Conditions.ArtifactCaUnavailable && c.Message == message);
        (await _cluster.User.For<EventsV1Event>().ListAsync("default")).Items
            .Should().Contain(e => e.Reason == Conditions.ArtifactCaUnavailable && e.Type == "Warning" && e.Note == message);
    }

    [Fact]
    public async Task Reconcile_PodHeldBackAsARealKubeletReportsIt_DegradedArtifactCaUnavailableFromTheFailedMountEvent()
    {
        await _cluster.CreateSampleAsync();
        await _cluster.CreatePodHeldByFailedMountAsync("held", "ranking-ctr", "cpu-int8", "cpu-spot",
            "MountVolume.SetUp failed for volume \"artifact-ca\" : secret \"store-tls\" not found");

        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);

        var status = (await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default")).Status!;
        status.Conditions.Should().ContainSingle(c => c.Type == Conditions.Degraded && c.Status == "True" && c.Reason == Conditions.ArtifactCaUnavailable
            && c.Message == "variant cpu-int8 cannot mount its artifact caBundle: secret \"store-tls\" not found");
        _recorder.Requests.Should().Contain(r => r.Method == "GET" && r.PathAndQuery.StartsWith("/api/v1/namespaces/default/events?", StringComparison.Ordinal)
            && Uri.UnescapeDataString(r.PathAndQuery).Contains("reason=FailedMount", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_TypoInANodePoolBesideAValidOne_DegradedNodePoolNotFoundWithAWarningEventAndThePoolNotListed()
    {
        await _cluster.CreateSampleAsync();
        await PatchVariantAsync(0, new JsonObject { ["nodePools"] = new JsonArray("cpu-spot", "cpu-ondmand") });

        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);

        var status = await StatusAsync();
        const string message = "variant cpu-int8 lists NodePool cpu-ondmand, which does not exist; it is not placed there";
        Condition(status, Conditions.Degraded).Should().Match<V1Condition>(c => c.Status == "True" && c.Reason == Conditions.NodePoolNotFound && c.Message == message);
        status.Variants.Single(v => v.Name == "cpu-int8").Pools.Select(p => p.Pool).Should().Equal(["cpu-spot"], "a pool that does not exist is not shown as if it did");
        (await _cluster.User.For<EventsV1Event>().ListAsync("default")).Items.Should().ContainSingle(e => e.Reason == Conditions.NodePoolNotFound)
            .Which.Should().Match<EventsV1Event>(e => e.Type == "Warning" && e.Note == message);
        (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Select(d => d.Metadata!.Name).Should().Equal(["ranking-ctr-cpu-int8-cpu-spot"]);
    }

    [Fact]
    public async Task Reconcile_NoPodWaitingToStart_ListsNoEvents()
    {
        await _cluster.CreateSampleAsync();

        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);

        _recorder.Requests.Should().NotContain(r => r.PathAndQuery.StartsWith("/api/v1/namespaces/default/events", StringComparison.Ordinal));
    }

    private async Task<Crds.Models.RecModelStatus> StatusAsync() => (await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default")).Status!;

    private static V1Condition Condition(Crds.Models.RecModelStatus status, string type) => status.Conditions.Single(c => c.Type == type);

    private static Crds.Models.VariantPoolStatus Pool(Crds.Models.RecModelStatus status) =>
        status.Variants.Single(v => v.Name == "cpu-int8").Pools.Single(p => p.Pool == "cpu-spot");

    // What the Deployment controller would write as its pods start and turn ready.
    private async Task PatchDeploymentStatusAsync(string name, int replicas, int updated, int ready)
    {
        var deployments = _cluster.User.For<V1Deployment>();
        var generation = (await deployments.GetAsync(name, "default")).Metadata!.Generation;
        await deployments.PatchStatusAsync(name, KubePatch.Merge(new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = generation, ["replicas"] = replicas, ["updatedReplicas"] = updated,
                ["readyReplicas"] = ready, ["availableReplicas"] = ready,
            },
        }), "default");
    }

    private async Task PatchVariantAsync(int index, JsonObject changes)
    {
        var model = await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default");
        var json = System.Text.Json.JsonSerializer.SerializeToNode(model, CrdsJsonContext.Default.RecModel)!;
        var variant = json["spec"]!["variants"]![index]!.AsObject();
        foreach (var (key, value) in changes.ToList())
        {
            if (value is JsonObject inner && variant[key] is JsonObject target)
            {
                foreach (var (k, v) in inner.ToList())
                {
                    target[k] = v?.DeepClone();
                }
            }
            else
            {
                variant[key] = value?.DeepClone();
            }
        }

        await _cluster.User.Unstructured(RecModel.Descriptor).UpdateAsync(json.AsObject());
    }
}
