using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// The whole operator as <see cref="RecOperatorApp"/> wires it, with no resync and no recheck due during the test: a
/// change of what the reconciler reads from a model's pods wakes the model by the pod's own event, and the pods are
/// read from the informer, not listed.
/// </summary>
public sealed class RecModelPodEventsRunTests : IAsyncLifetime
{
    private readonly OperatorCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Run_ModelPodTurnsUnschedulableWithNoRecheckDue_ModelSaysNoCapacityWithinSecondsWithoutListingPods()
    {
        await _cluster.CreateSampleAsync();
        using var recorder = new RecordingHandler();
        using var client = _cluster.NewClient(recorder);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var host = _cluster.NewHost(client, "pods", leaderElect: false, resync: TimeSpan.FromMinutes(10));
        var running = host.RunAsync(stop.Token);
        await OperatorCluster.EventuallyAsync(async () => host.Readiness().Ready && await DegradedAsync() is not null, "the model's status is written once the caches synced");
        // The first reconciles' own writes wake the model a few more times; from here on nothing would.
        await QuietAsync(recorder);
        recorder.Requests.Clear();

        await _cluster.User.For<V1Pod>().CreateAsync(new V1Pod
        {
            // In a pool where the model has no Deployment or PodDisruptionBudget whose status the pod could change (their
            // own events would wake the model too): only the pod's event can.
            Metadata = new V1ObjectMeta { Name = "stuck", Namespace = "default", Labels = ChildLabels.For("ranking-ctr", "cpu-int8", "cpu-ondemand") },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "recpod", Image = "ghcr.io/recoperator/recpod:0.1.0" }] },
        }, "default");
        // As kube-scheduler reports a pod no node can take.
        await _cluster.User.Unstructured(V1Pod.Descriptor).PatchStatusAsync("stuck", KubePatch.Merge(new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Pending",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "PodScheduled", ["status"] = "False", ["reason"] = "Unschedulable", ["message"] = "0/6 nodes are available" }),
            },
        }), "default");
        await OperatorCluster.EventuallyAsync(async () => (await DegradedAsync())?.Reason == Conditions.NoCapacity, "the pod's event wakes its model", seconds: 5);
        await stop.CancelAsync();
        await running;

        recorder.Requests.Should().NotContain(r => r.Method == "GET" && r.Path.EndsWith("/pods", StringComparison.Ordinal) && !r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal),
            "the model's pods come from the pod informer");
    }

    private static async Task QuietAsync(RecordingHandler recorder)
    {
        var seen = -1;
        while (recorder.Requests.Count(r => !r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal)) is var count && count != seen)
        {
            seen = count;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private async Task<V1Condition?> DegradedAsync() =>
        (await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default")).Status?.Conditions.FirstOrDefault(c => c.Type == Conditions.Degraded);
}
