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
/// Children are named from model, variant and pool, so two models can want the same name: the sample
/// <c>ranking-ctr</c> (variant <c>cpu-int8</c>) and a model <c>ranking</c> with a variant <c>ctr-cpu-int8</c> both want
/// the Service <c>ranking-ctr-cpu-int8</c> (and in the same pool the same Deployment and budget). The object stays
/// with the model that controls it; the other model leaves it alone, says so in its status, and keeps running the rest.
/// </summary>
public sealed class ChildNameConflictTests : IAsyncLifetime
{
    private static readonly ObjectKey Sample = new("default", "ranking-ctr");
    private static readonly ObjectKey Colliding = new("default", "ranking");
    private const string TakenService = "ranking-ctr-cpu-int8";
    private const string TakenDeployment = "ranking-ctr-cpu-int8-cpu-spot";
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
    public async Task Reconcile_SecondModelsChildNamesTaken_LeavesThemToTheFirstAndReportsNameConflictOnce()
    {
        var sample = await _cluster.CreateSampleAsync();
        var plans = new FleetPlanBook();
        var reconciler = _cluster.NewReconciler(_client, plans);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        var before = await SnapshotAsync();
        await CreateModelAsync("ranking", ("ctr-cpu-int8", "cpu-spot"), ("fp32", "cpu-ondemand"));
        plans.Publish(Colliding, new FleetPlan { Replicas = new Dictionary<PlacementKey, int> { [new("ctr-cpu-int8", "cpu-spot")] = 2, [new("fp32", "cpu-ondemand")] = 1 } });

        var first = await reconciler.ReconcileAsync(Colliding, CancellationToken.None);
        _recorder.Requests.Clear();
        for (var round = 0; round < 5; round++)
        {
            await reconciler.ReconcileAsync(Sample, CancellationToken.None);
            await reconciler.ReconcileAsync(Colliding, CancellationToken.None);
        }

        first.Requeue.Should().Be(RecModelReconciler.UnsettledRecheck, "a conflict ends when the other object goes away, which wakes only its owner");
        (await SnapshotAsync()).Should().Be(before, "the first model's Deployment, Service and budget are never written by the second");
        var service = await _cluster.User.For<V1Service>().GetAsync(TakenService, "default");
        service.Metadata!.OwnerReferences.Should().ContainSingle().Which.Uid.Should().Be(sample.Metadata!.Uid);
        service.Spec!.Selector.Should().BeEquivalentTo(new Dictionary<string, string> { ["serving.recoperator.io/model"] = "ranking-ctr", ["serving.recoperator.io/variant"] = "cpu-int8" });
        _recorder.Requests.Where(r => r.IsWrite).Should().BeEmpty("once both models have converged, reconciling them again writes nothing");

        var degraded = (await StatusAsync("ranking")).Conditions.Single(c => c.Type == Conditions.Degraded);
        degraded.Should().Match<V1Condition>(c => c.Status == "True" && c.Reason == Conditions.NameConflict);
        var owner = $"is controlled by RecModel ranking-ctr (uid {sample.Metadata.Uid})";
        degraded.Message.Should().ContainAll($"Deployment {TakenDeployment} {owner}", $"Service {TakenService} {owner}", $"PodDisruptionBudget {TakenDeployment} {owner}");
        var events = (await _cluster.User.For<EventsV1Event>().ListAsync("default")).Items.Where(e => e.Regarding?.Name == "ranking" && e.Type == "Warning").ToList();
        events.Should().ContainSingle().Which.Should().Match<EventsV1Event>(e => e.Reason == Conditions.NameConflict && e.Note == degraded.Message && e.Series == null,
            "the Warning is recorded when the model turns Degraded, not on every reconcile");

        (await _cluster.OwnedAsync<V1Deployment>("ranking")).Select(d => d.Metadata!.Name).Should().BeEquivalentTo(["ranking-fp32-cpu-ondemand"], "the other variant runs");
        (await _cluster.OwnedAsync<V1Service>("ranking")).Select(s => s.Metadata!.Name).Should().BeEquivalentTo(["ranking", "ranking-fp32"]);
        var weights = JsonNode.Parse((await _cluster.User.For<V1ConfigMap>().GetAsync("ranking-routing", "default")).Data!["weights.json"])!.AsObject();
        weights.Select(w => w.Key).Should().BeEquivalentTo(["ranking-fp32"], "no traffic of the model goes to the other model's Service");
    }

    [Fact]
    public async Task Reconcile_OnlyTheVariantServiceNameTaken_NeitherModelTakesItOverAndTheSecondRoutesNothingThere()
    {
        var sample = await _cluster.CreateSampleAsync();
        var plans = new FleetPlanBook();
        var reconciler = _cluster.NewReconciler(_client, plans);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        await CreateModelAsync("ranking", ("ctr-cpu-int8", "cpu-ondemand"));
        plans.Publish(Colliding, new FleetPlan { Replicas = new Dictionary<PlacementKey, int> { [new("ctr-cpu-int8", "cpu-ondemand")] = 1 } });

        // Each reconcile of one model used to take the Service from the other: owner and selector flipped every time.
        for (var round = 0; round < 10; round++)
        {
            await reconciler.ReconcileAsync(Colliding, CancellationToken.None);
            await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        }

        _recorder.Requests.Count(r => r.Method == "PATCH" && r.Path == $"/api/v1/namespaces/default/services/{TakenService}").Should().Be(1, "only the sample's first apply created it");
        var service = await _cluster.User.For<V1Service>().GetAsync(TakenService, "default");
        service.Metadata!.OwnerReferences.Should().ContainSingle().Which.Uid.Should().Be(sample.Metadata!.Uid);
        service.Spec!.Selector!["serving.recoperator.io/model"].Should().Be("ranking-ctr");
        (await StatusAsync("ranking-ctr")).Conditions.Single(c => c.Type == Conditions.Degraded).Status.Should().Be("False", "the model that holds its children is not affected");
        (await StatusAsync("ranking")).Conditions.Single(c => c.Type == Conditions.Degraded).Should().Match<V1Condition>(
            c => c.Reason == Conditions.NameConflict && c.Message == $"not applied, the name is taken: Service {TakenService} is controlled by RecModel ranking-ctr (uid {sample.Metadata.Uid})");
        (await _cluster.OwnedAsync<V1Deployment>("ranking")).Select(d => d.Metadata!.Name).Should().BeEquivalentTo(["ranking-ctr-cpu-int8-cpu-ondemand"]);
        (await _cluster.User.For<V1ConfigMap>().TryGetAsync("ranking-routing", "default")).Should().BeNull("its only variant Service is not its own, so it has no weights to publish");
    }

    [Fact]
    public async Task Reconcile_ModelServiceNameHeldByAnObjectWithoutController_LeavesItAloneAndPublishesNoWeights()
    {
        var services = _cluster.User.For<V1Service>();
        var users = await services.CreateAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "ranking-ctr", Namespace = "default", Labels = new Dictionary<string, string> { ["app"] = "legacy" } },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "legacy" }, Ports = [new V1ServicePort { Name = "legacy", Port = 80 }] },
        }, "default");
        await _cluster.CreateSampleAsync();

        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);

        var after = await services.GetAsync("ranking-ctr", "default");
        after.Metadata!.ResourceVersion.Should().Be(users.Metadata!.ResourceVersion, "an object the model does not control is never taken over");
        (await StatusAsync("ranking-ctr")).Conditions.Single(c => c.Type == Conditions.Degraded).Message.Should().Be(
            "not applied, the name is taken: Service ranking-ctr exists without a controller");
        (await _cluster.OwnedAsync<V1Service>("ranking-ctr")).Select(s => s.Metadata!.Name).Should().BeEquivalentTo([TakenService], "the variant Service is the model's own");
        (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Should().ContainSingle();
        (await _cluster.User.For<V1ConfigMap>().TryGetAsync("ranking-ctr-routing", "default")).Should().BeNull("weights for a model Service that is not the model's would steer someone else's traffic");
    }

    [Fact]
    public async Task Reconcile_HttpRouteNameHeldByAUsersRoute_LeavesTheRouteAloneAndReportsIt()
    {
        await _cluster.ApplyAsync(YamlDocuments.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("tests", "RecOperator.Operator.Tests", "testassets", "gateway", "httproutes-crd.yaml"))).Single().AsObject());
        var routes = _cluster.User.Unstructured(RoutingBuilder.HttpRouteDescriptor);
        var users = await routes.CreateAsync(JsonNode.Parse("""
            {"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"ranking-ctr","namespace":"default"},
             "spec":{"parentRefs":[{"name":"shop-gateway"}],"rules":[{"backendRefs":[{"name":"shop","port":80}]}]}}
            """)!.AsObject(), "default");
        await _cluster.CreateSampleAsync();

        await _cluster.NewReconciler(_client).ReconcileAsync(Sample, CancellationToken.None);

        (await routes.GetAsync("ranking-ctr", "default"))["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be(users["metadata"]!["resourceVersion"]!.GetValue<string>());
        (await StatusAsync("ranking-ctr")).Conditions.Single(c => c.Type == Conditions.Degraded).Message.Should().Be(
            "not applied, the name is taken: HTTPRoute ranking-ctr exists without a controller");
        (await _cluster.OwnedAsync<V1Service>("ranking-ctr")).Should().HaveCount(2, "the rest of the model is applied");
    }

    [Fact]
    public async Task Run_TwoModelsWantingOneService_WrittenOnceAndTheSecondReportsTheConflict()
    {
        var plans = new FleetPlanBook();
        plans.Publish(Colliding, new FleetPlan { Replicas = new Dictionary<PlacementKey, int> { [new("ctr-cpu-int8", "cpu-ondemand")] = 1 } });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = _cluster.NewHost(_client, "conflicts", leaderElect: false, plans).RunAsync(stop.Token);
        var sample = await _cluster.CreateSampleAsync();
        await OperatorCluster.EventuallyAsync(async () => (await TryStatusAsync("ranking-ctr")) is not null, "the operator reconciled the sample");
        await CreateModelAsync("ranking", ("ctr-cpu-int8", "cpu-ondemand"));
        await OperatorCluster.EventuallyAsync(async () => (await TryStatusAsync("ranking"))?.Conditions.Any(c => c.Reason == Conditions.NameConflict) == true,
            "the second model reports the conflict");

        // Long enough for hundreds of flips when each model took the Service back from the other.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await running;

        _recorder.Requests.Count(r => r.Method == "PATCH" && r.Path == $"/api/v1/namespaces/default/services/{TakenService}").Should().Be(1);
        (await _cluster.User.For<V1Service>().GetAsync(TakenService, "default")).Metadata!.OwnerReferences.Should().ContainSingle().Which.Uid.Should().Be(sample.Metadata!.Uid);
        _recorder.Requests.Count(r => r.Method == "PATCH" && r.Path == "/apis/serving.recoperator.io/v1alpha1/namespaces/default/recmodels/ranking/status")
            .Should().BeLessThanOrEqualTo(2, "the status is written when it changes, not on every recheck");
    }

    private async Task<Crds.Models.RecModelStatus> StatusAsync(string model) => (await TryStatusAsync(model))!;

    private async Task<Crds.Models.RecModelStatus?> TryStatusAsync(string model) => (await _cluster.User.For<RecModel>().GetAsync(model, "default")).Status;

    // What the sample's taken children look like: any write to them changes a resourceVersion.
    private async Task<string> SnapshotAsync()
    {
        var deployment = await _cluster.User.For<V1Deployment>().GetAsync(TakenDeployment, "default");
        var service = await _cluster.User.For<V1Service>().GetAsync(TakenService, "default");
        var budget = await _cluster.User.For<V1PodDisruptionBudget>().GetAsync(TakenDeployment, "default");
        return string.Join(",", deployment.Metadata!.ResourceVersion, service.Metadata!.ResourceVersion, budget.Metadata!.ResourceVersion);
    }

    /// <summary>A model of the sample's first variant, renamed, in the given pools (a plan places it).</summary>
    private async Task CreateModelAsync(string name, params (string Variant, string Pool)[] variants)
    {
        var document = YamlDocuments.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("manifests", "samples", "recmodel-ranking.yaml"))).Single().AsObject();
        var template = document["spec"]!["variants"]![0]!;
        document["metadata"]!["name"] = name;
        document["spec"]!["autoscaling"]!["minTotalReplicas"] = 1;
        document["spec"]!["variants"] = new JsonArray(variants.Select(v =>
        {
            var variant = template.DeepClone().AsObject();
            variant["name"] = v.Variant;
            variant["nodePools"] = new JsonArray(v.Pool);
            return (JsonNode?)variant;
        }).ToArray());
        await _cluster.User.Unstructured(RecModel.Descriptor).CreateAsync(document, "default");
    }
}
