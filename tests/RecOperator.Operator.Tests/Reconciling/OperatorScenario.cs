using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Runtime;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// One full run of the operator through everything it does, with every request recorded: a leader-elected host
/// creates a sample's children and pool statuses, plans add and remove a variant (pruning), the Gateway API appears
/// (HTTPRoute replaces the ConfigMap, then is pruned once the model is scaled to zero), the autoscaler decides the sample, a pod is held back by a
/// missing caBundle as a real kubelet reports it (a FailedMount Event), and an invalid spec is reported twice (the
/// Event is counted).
/// The RBAC and schema tests read the recording.
/// </summary>
public sealed class OperatorScenario : IAsyncLifetime
{
    private static readonly ObjectKey Sample = new("default", "ranking-ctr");
    private readonly OperatorCluster _cluster = new();
    private readonly RecordingHandler _recorder = new();

    public IReadOnlyList<RecordedRequest> Requests => [.. _recorder.Requests];

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        using var client = _cluster.NewClient(_recorder);
        var plans = new FleetPlanBook();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var host = _cluster.NewHost(client, "scenario", leaderElect: true, plans);
        var running = host.RunAsync(stop.Token);
        await _cluster.CreateSampleAsync();
        await OperatorCluster.EventuallyAsync(async () => (await Model()).Status?.ObservedGeneration == 1, "the host reconciled the sample");
        await OperatorCluster.EventuallyAsync(async () => (await _cluster.User.For<NodePool>().GetAsync("cpu-spot")).Status?.AllocatableSlots > 0, "pool status written");

        var spot = new PlacementKey("cpu-int8", "cpu-spot");
        plans.Publish(Sample, new FleetPlan { Replicas = new Dictionary<PlacementKey, int> { [spot] = 2, [new("cpu-fp32", "cpu-ondemand")] = 2 } });
        await OperatorCluster.EventuallyAsync(async () => (await _cluster.OwnedAsync<V1Deployment>("ranking-ctr")).Count == 2, "the plan's second variant runs");
        plans.Publish(Sample, new FleetPlan { Replicas = new Dictionary<PlacementKey, int> { [spot] = 2 } });
        await OperatorCluster.EventuallyAsync(async () => (await _cluster.OwnedAsync<V1Service>("ranking-ctr")).Count == 2, "the dropped variant is pruned");
        await stop.CancelAsync();
        await running;

        // The autoscaler's reads and Events: the operator as `recop operator` runs it, until the loop has decided
        // the sample (no pods run here, so its metrics are missing and it holds, with a Warning Event).
        var autoscaled = new FleetPlanBook();
        using (var stopAutoscaled = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            var full = _cluster.NewHost(client, "scenario-autoscaler", leaderElect: false, autoscaled, autoscaler: true);
            var fullRun = full.RunAsync(stopAutoscaled.Token);
            await OperatorCluster.EventuallyAsync(() => Task.FromResult(autoscaled.Get(Sample) is not null), "the autoscaler decided the sample");
            await stopAutoscaled.CancelAsync();
            await fullRun;
        }

        // The Gateway API appears: a fresh reconciler (its discovery is cached per instance) switches to an HTTPRoute and
        // a GRPCRoute.
        foreach (var crd in new[] { RepoPaths.Combine("tests", "RecOperator.Operator.Tests", "testassets", "gateway", "httproutes-crd.yaml"), RepoPaths.Combine("manifests", "gateway-api", "grpcroute-crd.yaml") })
        {
            await _cluster.ApplyAsync(YamlDocuments.Parse(await File.ReadAllTextAsync(crd)).Single().AsObject());
        }
        var reconciler = _cluster.NewReconciler(client, plans);
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        // Scaled to zero (no minimum left anywhere) and planned so: no variant runs, so the routes are pruned. With a
        // minimum, a plan that places a variant nowhere would be a stale one, and the variant would start at its minimum.
        await _cluster.User.For<RecModel>().PatchAsync("ranking-ctr", KubePatch.Json(JsonNode.Parse("""
            [{"op":"replace","path":"/spec/autoscaling/minTotalReplicas","value":0},{"op":"replace","path":"/spec/variants/0/replicas/min","value":0}]
            """)!.AsArray()), "default");
        plans.Publish(Sample, new FleetPlan { Replicas = new Dictionary<PlacementKey, int>() });
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        // A pod held back by its caBundle as a real kubelet reports it: the reconciler reads the FailedMount Event.
        await _cluster.CreatePodHeldByFailedMountAsync("ranking-ctr-held", "ranking-ctr", "cpu-int8", "cpu-spot",
            "MountVolume.SetUp failed for volume \"artifact-ca\" : configmap \"model-store-ca\" not found");
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        // A RecModel the API server stores and the operator refuses (a name over 22 characters, with the CRD's rule on the
        // object taken out): status and Events only. Reconciled twice: the second Warning is the same Event counted
        // again (a patch), whatever else the run did.
        await _cluster.WithoutRecModelObjectRulesAsync();
        await _cluster.CreateSampleAsync("ranking-ctr-name-too-long");
        await reconciler.ReconcileAsync(new ObjectKey("default", "ranking-ctr-name-too-long"), CancellationToken.None);
        await reconciler.ReconcileAsync(new ObjectKey("default", "ranking-ctr-name-too-long"), CancellationToken.None);
        await _cluster.User.For<RecModel>().PatchAsync("ranking-ctr", KubePatch.Merge(JsonNode.Parse("""{"spec":{"slo":{"p99LatencyMs":30}}}""")!), "default");
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
    }

    public Task DisposeAsync() => _cluster.DisposeAsync();

    private Task<RecModel> Model() => _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default");
}
