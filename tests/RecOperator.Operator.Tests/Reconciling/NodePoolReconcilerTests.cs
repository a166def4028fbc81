using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// NodePool status from the cluster (two nodes of 8 CPUs and 32Gi per sample pool, the GPU nodes with 2 GPUs each):
/// nodes, ready nodes, slots for the largest request of the variants placed there, and placed pods.
/// </summary>
public sealed class NodePoolReconcilerTests : IAsyncLifetime
{
    private readonly OperatorCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Reconcile_SampleModel_SlotsFollowTheLargestRequestAndTheLimit()
    {
        await _cluster.CreateSampleAsync();

        var spot = await ReconcileAsync("cpu-spot");
        var gpu = await ReconcileAsync("gpu");

        // 1 CPU per int8 pod: 8 per node; 2 nodes.
        (spot.Nodes, spot.ReadyNodes, spot.AllocatableSlots, spot.AllocatedSlots).Should().Be((2, 2, 16, 0));
        // 2 CPUs and 1 GPU per fp16 pod: the 2 GPUs per node bind first.
        gpu.AllocatableSlots.Should().Be(4);
        gpu.VariantSlots.Select(v => (v.Model, v.Variant, v.Slots)).Should().Equal([("default/ranking-ctr", "gpu-fp16", 4)]);
        gpu.Conditions.Should().ContainSingle(c => c.Type == "Ready" && c.Status == "True");
    }

    [Fact]
    public async Task Reconcile_VariantsWithDifferentRequests_SlotsPerVariantSizedByEachOnesOwn()
    {
        await _cluster.CreateSampleAsync();
        // A second model whose fp32 variant asks for 4 CPUs: 2 fit on an 8-CPU node, where the 1-CPU variants fit 8.
        await CreateBigModelAsync();

        var ondemand = await ReconcileAsync("cpu-ondemand");

        ondemand.AllocatableSlots.Should().Be(4, "the largest request decides the slots every variant fits in");
        ondemand.VariantSlots.Select(v => (v.Model, v.Variant, v.Slots)).Should().Equal(
            ("default/ranking-big", "cpu-fp32", 4), ("default/ranking-big", "cpu-int8", 16),
            ("default/ranking-ctr", "cpu-fp32", 16), ("default/ranking-ctr", "cpu-int8", 16));
    }

    [Fact]
    public async Task Reconcile_PodsOfEveryOwnerBoundOnTheNodes_FreeRoomPerVariantIsWhatStillFitsBesideThem()
    {
        await _cluster.CreateSampleAsync();
        await CreateBigModelAsync();
        // Two 8-CPU nodes: a 4-CPU replica of the big model on node 0, a pod nobody here manages taking 2 CPUs of node 1,
        // a pending pod (no node) and a finished one that hold nothing.
        await CreatePodAsync("big-0", "cpu-ondemand", nodeName: "cpu-ondemand-0", cpu: "4", model: "ranking-big", variant: "cpu-fp32");
        await CreatePodAsync("sidecar", null, nodeName: "cpu-ondemand-1", cpu: "2");
        await CreatePodAsync("pending", "cpu-ondemand", nodeName: null, cpu: "4");
        await CreatePodAsync("done", "cpu-ondemand", nodeName: "cpu-ondemand-1", cpu: "4");
        await _cluster.User.Unstructured(V1Pod.Descriptor).PatchStatusAsync("done", KubePatch.Merge(JsonNode.Parse("""{"status":{"phase":"Succeeded"}}""")!), "default");

        var ondemand = await ReconcileAsync("cpu-ondemand");

        (ondemand.AllocatableSlots, ondemand.AllocatedSlots).Should().Be((4, 1), "slots by the largest request; only the bound replica is allocated");
        ondemand.VariantSlots.Select(v => (v.Model, v.Variant, v.Free)).Should().Equal(
            ("default/ranking-big", "cpu-fp32", 2), ("default/ranking-big", "cpu-int8", 10),
            ("default/ranking-ctr", "cpu-fp32", 10), ("default/ranking-ctr", "cpu-int8", 10));
    }

    [Fact]
    public async Task Reconcile_MoreReplicasPlacedThanTheLoweredCapacityLimit_OverCapacityLimitNamesWhoHoldsThemAndNothingIsFree()
    {
        await _cluster.CreateSampleAsync();
        await CreateBigModelAsync();
        await CreatePodAsync("ctr-0", "cpu-ondemand", nodeName: "cpu-ondemand-0");
        await CreatePodAsync("ctr-1", "cpu-ondemand", nodeName: "cpu-ondemand-1");
        await CreatePodAsync("big-0", "cpu-ondemand", nodeName: "cpu-ondemand-1", model: "ranking-big", variant: "cpu-fp32");
        var within = await ReconcileAsync("cpu-ondemand");
        await _cluster.User.For<NodePool>().PatchAsync("cpu-ondemand", KubePatch.Merge(JsonNode.Parse("""{"spec":{"capacityLimit":2}}""")!));

        var over = await ReconcileAsync("cpu-ondemand");

        within.Conditions.Should().ContainSingle(c => c.Type == Conditions.OverCapacityLimit).Which.Should().Match<V1Condition>(c =>
            c.Status == "False" && c.Reason == "WithinLimit" && c.Message == "the pool has no capacityLimit");
        over.Conditions.Should().ContainSingle(c => c.Type == Conditions.OverCapacityLimit).Which.Should().Match<V1Condition>(c =>
            c.Status == "True" && c.Reason == "CapacityLimitExceeded" && c.ObservedGeneration == 2 && c.Message ==
            "3 replicas are placed and capacityLimit is 2 (default/ranking-ctr 2, default/ranking-big 1); no new replica is placed here until they are fewer");
        over.VariantSlots.Should().OnlyContain(v => v.Free == 0);
    }

    [Fact]
    public async Task Reconcile_NoModel_SlotsAreBoundedByPodsPerNodeAndCapacityLimit()
    {
        var spot = await ReconcileAsync("cpu-spot");
        var ondemand = await ReconcileAsync("cpu-ondemand");

        spot.AllocatableSlots.Should().Be(40, "110 pods per node, but the pool's capacityLimit is 40");
        ondemand.AllocatableSlots.Should().Be(220);
    }

    [Fact]
    public async Task Reconcile_NotReadyNodeAndPlacedPods_CountsOnlyReadyNodesAndBoundPods()
    {
        await _cluster.CreateSampleAsync();
        await _cluster.User.Unstructured(V1Node.Descriptor).PatchStatusAsync("cpu-ondemand-1", KubePatch.Merge(JsonNode.Parse(
            """{"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""")!));
        await CreatePodAsync("bound", "cpu-ondemand", nodeName: "cpu-ondemand-0");
        await CreatePodAsync("pending", "cpu-ondemand", nodeName: null);

        var status = await ReconcileAsync("cpu-ondemand");

        (status.Nodes, status.ReadyNodes, status.AllocatableSlots, status.AllocatedSlots).Should().Be((2, 1, 8, 1));
    }

    [Fact]
    public async Task Reconcile_SpecTheApiServerAcceptsButValidationRejects_InvalidSpecConditionAndWarningEvent()
    {
        // A DNS subdomain is a valid object name to the API server, but pool names become part of Deployment names
        // and label values, so validation wants a DNS-1123 label; and a Gpu pool needs an accelerator resource.
        await _cluster.User.Unstructured(NodePool.Descriptor).CreateAsync(new JsonObject
        {
            ["apiVersion"] = NodePool.Descriptor.ApiVersion,
            ["kind"] = NodePool.KindName,
            ["metadata"] = new JsonObject { ["name"] = "gpu.h100" },
            ["spec"] = new JsonObject { ["hardware"] = "Cpu", ["costPerReplicaHour"] = 0.5 },
        });
        var reconciler = Reconciler();

        var result = await reconciler.ReconcileAsync(new ObjectKey("", "gpu.h100"), CancellationToken.None);
        await reconciler.ReconcileAsync(new ObjectKey("", "gpu.h100"), CancellationToken.None);

        result.TerminalReason.Should().Contain("metadata.name");
        var pool = await _cluster.User.For<NodePool>().GetAsync("gpu.h100");
        pool.Status!.Conditions.Should().ContainSingle(c => c.Type == Conditions.InvalidSpec).Which.Should().Match<Kube.Models.V1Condition>(c =>
            c.Status == "True" && c.Reason == "ValidationFailed" && c.Message!.StartsWith("metadata.name: ", StringComparison.Ordinal) && c.ObservedGeneration == 1);
        pool.Status.AllocatableSlots.Should().Be(0, "no slots are computed for a pool that cannot be used");
        var warning = (await _cluster.User.For<EventsV1Event>().ListAsync("default")).Items.Should().ContainSingle(e => e.Reason == Conditions.InvalidSpec).Subject;
        warning.Type.Should().Be("Warning");
        warning.Note.Should().Be(pool.Status.Conditions.Single(c => c.Type == Conditions.InvalidSpec).Message);
        (warning.Regarding!.Kind, warning.Regarding.Name).Should().Be((NodePool.KindName, "gpu.h100"));
        warning.Series!.Count.Should().Be(2, "the repeat counts on the same Event");
    }

    private async Task<Crds.Models.NodePoolStatus> ReconcileAsync(string pool)
    {
        var result = await Reconciler().ReconcileAsync(new ObjectKey("", pool), CancellationToken.None);
        result.Requeue.Should().Be(NodePoolReconciler.Recheck);
        var status = (await _cluster.User.For<NodePool>().GetAsync(pool)).Status!;
        status.Conditions.Should().ContainSingle(c => c.Type == Conditions.InvalidSpec && c.Status == "False" && c.Reason == "Valid");
        return status;
    }

    /// <summary>The sample as a second model, ranking-big, whose cpu-fp32 variant asks for 4 CPUs.</summary>
    private async Task CreateBigModelAsync()
    {
        var big = YamlDocuments.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("manifests", "samples", "recmodel-ranking.yaml"))).Single()!.AsObject();
        big["metadata"]!["name"] = "ranking-big";
        var fp32 = big["spec"]!["variants"]!.AsArray().Single(v => (string?)v!["name"] == "cpu-fp32")!;
        fp32["resources"] = JsonNode.Parse("""{"requests":{"cpu":"4","memory":"1Gi"},"limits":{"cpu":"4","memory":"2Gi"}}""");
        await _cluster.User.Unstructured(RecModel.Descriptor).CreateAsync(big, "default");
    }

    private NodePoolReconciler Reconciler() => new(_cluster.User, OperatorEvents.Recorder(_cluster.User, "test"));

    /// <param name="pool">The pool label the operator puts on its replicas; null for a pod it does not manage.</param>
    private Task CreatePodAsync(string name, string? pool, string? nodeName, string? cpu = null, string model = "ranking-ctr", string variant = "cpu-int8")
    {
        var labels = pool is null ? new Dictionary<string, string> { ["app"] = "other" } : ChildLabels.For(model, variant, pool);
        var resources = cpu is null ? null : new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = ResourceQuantity.Parse(cpu) } };
        return _cluster.User.For<V1Pod>().CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Namespace = "default", Labels = labels },
            Spec = new V1PodSpec { NodeName = nodeName, Containers = [new V1Container { Name = "recpod", Image = "ghcr.io/recoperator/recpod:0.1.0", Resources = resources }] },
        }, "default");
    }
}
