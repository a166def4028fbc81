using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests.Reconciling;

public sealed class NodePoolWakeupsTests
{
    // "spot" selects tier=spot, "ondemand" tier=ondemand, "any-cpu" every node labelled kind=cpu.
    private static readonly NodePool[] Pools =
    [
        Pool("spot", new() { ["tier"] = "spot", ["kind"] = "cpu" }),
        Pool("ondemand", new() { ["tier"] = "ondemand" }),
        Pool("any-cpu", new() { ["kind"] = "cpu" }),
    ];

    private static readonly V1Node SpotNode = Node("n1", new() { ["tier"] = "spot", ["kind"] = "cpu" });
    private static readonly V1Node OnDemandNode = Node("n2", new() { ["tier"] = "ondemand", ["kind"] = "gpu" });

    [Theory]
    [InlineData(InformerEventType.Added, new[] { "spot", "any-cpu" })]
    [InlineData(InformerEventType.Deleted, new[] { "spot", "any-cpu" })]
    [InlineData(InformerEventType.Resync, new string[0])]
    public void ForNode_AddedDeletedOrResync_WakesOnlyThePoolsSelectingIt(InformerEventType type, string[] expected) =>
        NodePoolWakeups.ForNode(new InformerEvent<V1Node>(type, SpotNode, type == InformerEventType.Resync ? SpotNode : null), Pools)
            .Should().BeEquivalentTo(expected);

    [Fact]
    public void ForNode_Heartbeat_WakesNothing()
    {
        var beat = SpotNode with { Metadata = SpotNode.Metadata! with { ResourceVersion = "2" } };

        NodePoolWakeups.ForNode(new InformerEvent<V1Node>(InformerEventType.Updated, beat, SpotNode), Pools).Should().BeEmpty();
    }

    [Fact]
    public void ForNode_Relabelled_WakesThePoolsItLeftAndJoined()
    {
        var moved = SpotNode with { Metadata = SpotNode.Metadata! with { Labels = new Dictionary<string, string> { ["tier"] = "ondemand" } } };

        NodePoolWakeups.ForNode(new InformerEvent<V1Node>(InformerEventType.Updated, moved, SpotNode), Pools)
            .Should().BeEquivalentTo("spot", "any-cpu", "ondemand");
    }

    public static TheoryData<string, V1Node> NodeChanges => new()
    {
        { "not ready", SpotNode with { Status = SpotNode.Status! with { Conditions = [new V1NodeCondition { Type = "Ready", Status = "False" }] } } },
        { "cordoned", SpotNode with { Spec = new V1NodeSpec { Unschedulable = true } } },
        { "allocatable", SpotNode with { Status = SpotNode.Status! with { Allocatable = Resources("4", "110") } } },
    };

    [Theory]
    [MemberData(nameof(NodeChanges))]
    public void ForNode_ReadinessCordonOrAllocatableChanged_WakesItsPools(string change, V1Node now) =>
        NodePoolWakeups.ForNode(new InformerEvent<V1Node>(InformerEventType.Updated, now, SpotNode), Pools)
            .Should().BeEquivalentTo(["spot", "any-cpu"], change);

    [Fact]
    public void ForNode_NodeNoPoolSelects_WakesNothing() =>
        NodePoolWakeups.ForNode(new InformerEvent<V1Node>(InformerEventType.Added, Node("n3", new() { ["tier"] = "batch" })), Pools).Should().BeEmpty();

    [Fact]
    public void ForPod_BoundByUpdate_WakesThePoolsOfItsNode()
    {
        var pending = Pod(node: null);

        NodePoolWakeups.ForPod(new InformerEvent<V1Pod>(InformerEventType.Updated, Pod("n1"), pending), Nodes, Pools)
            .Should().BeEquivalentTo("spot", "any-cpu");
    }

    [Theory]
    [InlineData(InformerEventType.Added, "n2", new[] { "ondemand" })]
    [InlineData(InformerEventType.Deleted, "n1", new[] { "spot", "any-cpu" })]
    [InlineData(InformerEventType.Added, null, new string[0])]
    [InlineData(InformerEventType.Deleted, null, new string[0])]
    [InlineData(InformerEventType.Added, "unknown-node", new string[0])]
    [InlineData(InformerEventType.Resync, "n1", new string[0])]
    public void ForPod_AddedDeletedOrResync_WakesThePoolsOfTheNodeItHolds(InformerEventType type, string? node, string[] expected) =>
        NodePoolWakeups.ForPod(new InformerEvent<V1Pod>(type, Pod(node), type == InformerEventType.Resync ? Pod(node) : null), Nodes, Pools)
            .Should().BeEquivalentTo(expected);

    [Theory]
    [InlineData("Succeeded", new[] { "spot", "any-cpu" })]
    [InlineData("Failed", new[] { "spot", "any-cpu" })]
    [InlineData("Running", new string[0])]
    public void ForPod_PhaseChanged_WakesOnlyWhenItStopsHoldingTheNode(string phase, string[] expected)
    {
        var before = Pod("n1", "Pending");

        NodePoolWakeups.ForPod(new InformerEvent<V1Pod>(InformerEventType.Updated, Pod("n1", phase), before), Nodes, Pools)
            .Should().BeEquivalentTo(expected, "readiness and running do not change what the pod holds");
    }

    [Fact]
    public void ForPod_StatusOnlyUpdate_WakesNothing()
    {
        var ready = Pod("n1") with { Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] } };

        NodePoolWakeups.ForPod(new InformerEvent<V1Pod>(InformerEventType.Updated, ready, Pod("n1")), Nodes, Pools).Should().BeEmpty();
    }

    [Fact]
    public void ForModel_VariantMovedToAnotherPool_WakesBothPools()
    {
        var before = Model(1, "spot");
        var after = Model(2, "ondemand");

        NodePoolWakeups.ForModel(new InformerEvent<RecModel>(InformerEventType.Updated, after, before)).Should().BeEquivalentTo("spot", "ondemand");
    }

    [Theory]
    [InlineData(InformerEventType.Updated, 1, new string[0])]
    [InlineData(InformerEventType.Resync, 1, new string[0])]
    [InlineData(InformerEventType.Added, 1, new[] { "spot" })]
    [InlineData(InformerEventType.Deleted, 1, new[] { "spot" })]
    public void ForModel_Event_WakesItsPoolsOnlyOnCreationDeletionOrSpecChange(InformerEventType type, long generation, string[] expected) =>
        NodePoolWakeups.ForModel(new InformerEvent<RecModel>(type, Model(generation, "spot"), type is InformerEventType.Added or InformerEventType.Deleted ? null : Model(1, "spot")))
            .Should().BeEquivalentTo(expected);

    private static V1Node? Nodes(string name) => name switch { "n1" => SpotNode, "n2" => OnDemandNode, _ => null };

    private static NodePool Pool(string name, Dictionary<string, string> selector) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Spec = new NodePoolSpec { Hardware = Hardware.Cpu, NodeSelector = selector } };

    private static V1Node Node(string name, Dictionary<string, string> labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels, ResourceVersion = "1" },
        Status = new V1NodeStatus { Allocatable = Resources("8", "110"), Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] },
    };

    private static Dictionary<string, ResourceQuantity> Resources(string cpu, string pods) =>
        new() { ["cpu"] = ResourceQuantity.Parse(cpu), ["pods"] = ResourceQuantity.Parse(pods) };

    private static V1Pod Pod(string? node, string phase = "Running") => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", Namespace = "default", Labels = ChildLabels.For("m", "cpu", "spot") },
        Spec = new V1PodSpec
        {
            NodeName = node,
            Containers = [new V1Container { Name = "c", Image = "i", Resources = new V1ResourceRequirements { Requests = Resources("1", "1") } }],
        },
        Status = new V1PodStatus { Phase = phase },
    };

    private static RecModel Model(long generation, string pool) => new()
    {
        Metadata = new V1ObjectMeta { Name = "m", Namespace = "default", Generation = generation },
        Spec = new RecModelSpec
        {
            Slo = new SloSpec { P99LatencyMs = 25 },
            Variants = [new VariantSpec { Name = "cpu", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = [pool] }],
        },
    };
}
