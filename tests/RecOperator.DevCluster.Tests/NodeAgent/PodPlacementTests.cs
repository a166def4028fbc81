using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>The scheduler's filters and message on the default pools (2 spot, 2 on-demand, 1 GPU node).</summary>
public sealed class PodPlacementTests
{
    private static readonly List<V1Node> Nodes = DefaultNodeAgentConfig.For("/repo").Pools
        .SelectMany(p => Enumerable.Range(0, p.Count).Select(i => NodeStatusBuilder.NewNode(p, i, DateTimeOffset.UnixEpoch))).ToList();

    [Fact]
    public void Decide_SpotSelectorWithoutToleration_UnschedulableWithTheRealSchedulersMessage()
    {
        var decision = PodPlacement.Decide(Pod("cpu-spot"), Nodes, []);

        decision.Scheduled.Should().BeFalse();
        // The GPU node fails TaintToleration before NodeAffinity, so it reports its own taint, as kube-scheduler's would.
        decision.Message.Should().Be("0/5 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: present}, 2 node(s) didn't match Pod's node affinity/selector,"
            + " 2 node(s) had untolerated taint {recoperator.io/spot: true}. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.");
    }

    [Fact]
    public void Decide_SpotSelectorWithTheSamplesToleration_BindsToASpotNode()
    {
        var pod = Pod("cpu-spot", tolerations: [new V1Toleration { Key = "recoperator.io/spot", Operator = "Exists", Effect = "NoSchedule" }]);

        PodPlacement.Decide(pod, Nodes, []).NodeName.Should().StartWith("cpu-spot-");
    }

    [Fact]
    public void Decide_GpuTakenByAnotherPod_InsufficientGpu()
    {
        var gpuToleration = new V1Toleration { Key = "nvidia.com/gpu", Operator = "Exists", Effect = "NoSchedule" };
        var running = Pod("gpu", gpus: 1, tolerations: [gpuToleration]) with { };
        running = running with { Spec = running.Spec! with { NodeName = "gpu-0" }, Status = new V1PodStatus { Phase = "Running" } };

        var decision = PodPlacement.Decide(Pod("gpu", gpus: 1, tolerations: [gpuToleration]), Nodes, [running]);

        decision.Scheduled.Should().BeFalse();
        decision.Message.Should().StartWith("0/5 nodes are available: 1 Insufficient nvidia.com/gpu, 2 node(s) didn't match Pod's node affinity/selector,"
            + " 2 node(s) had untolerated taint {recoperator.io/spot: true}.");
    }

    [Fact]
    public void Decide_ItsPoolCordoned_NodesWereUnschedulableAsNodeUnschedulableWordsIt()
    {
        var decision = PodPlacement.Decide(Pod("cpu-ondemand"), Cordoned("cpu-ondemand-0", "cpu-ondemand-1"), []);

        decision.Scheduled.Should().BeFalse();
        decision.Message.Should().StartWith("0/5 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: present},"
            + " 2 node(s) had untolerated taint {recoperator.io/spot: true}, 2 node(s) were unschedulable.");
    }

    [Fact]
    public void Decide_CordonedNodeAndAPodToleratingTheUnschedulableTaint_PlacedThere()
    {
        var tolerates = new V1Toleration { Key = NodeStatusBuilder.UnschedulableTaint, Operator = "Exists", Effect = "NoSchedule" };

        PodPlacement.Decide(Pod("cpu-ondemand", tolerations: [tolerates]), Cordoned("cpu-ondemand-0", "cpu-ondemand-1"), []).NodeName
            .Should().StartWith("cpu-ondemand-");
        PodPlacement.Decide(Pod("cpu-ondemand", tolerations: [tolerates with { Effect = "NoExecute" }]), Cordoned("cpu-ondemand-0", "cpu-ondemand-1"), []).Scheduled
            .Should().BeFalse("a toleration of another effect does not tolerate the cordon");
    }

    /// <summary>The default nodes with these cordoned, carrying the taint the node lifecycle controller adds.</summary>
    private static List<V1Node> Cordoned(params string[] names) => Nodes.Select(n => names.Contains(n.Metadata!.Name) ? n with
    {
        Spec = n.Spec! with
        {
            Unschedulable = true,
            Taints = [.. n.Spec.Taints ?? [], new V1Taint { Key = NodeStatusBuilder.UnschedulableTaint, Effect = "NoSchedule" }],
        },
    } : n).ToList();

    [Fact]
    public void Decide_TwoFreeNodes_PicksTheLessLoadedOne()
    {
        var first = Pod("cpu-ondemand", cpu: "3");
        first = first with { Spec = first.Spec! with { NodeName = "cpu-ondemand-0" }, Status = new V1PodStatus { Phase = "Running" } };

        PodPlacement.Decide(Pod("cpu-ondemand", cpu: "1"), Nodes, [first]).NodeName.Should().Be("cpu-ondemand-1");
    }

    private static V1Pod Pod(string pool, int gpus = 0, string cpu = "500m", List<V1Toleration>? tolerations = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", Namespace = "default" },
        Spec = new V1PodSpec
        {
            NodeSelector = new Dictionary<string, string> { [NodePoolConfig.PoolLabel] = pool },
            Tolerations = tolerations,
            Containers =
            [
                new V1Container
                {
                    Name = "c",
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = ResourceQuantity.Parse(cpu) },
                        Limits = gpus == 0 ? null : new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = ResourceQuantity.Parse($"{gpus}") },
                    },
                },
            ],
        },
    };
}
