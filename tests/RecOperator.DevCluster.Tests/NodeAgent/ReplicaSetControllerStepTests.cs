using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>The ReplicaSet controller's step and status: surplus pods go cheapest first; counts as the real controller keeps them.</summary>
public sealed class ReplicaSetControllerStepTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(1);

    [Fact]
    public void Compute_TooManyPods_DeletesUnscheduledThenPendingThenNotReadyThenNewest()
    {
        var pods = new[]
        {
            Pod("ready-old", "n1", "Running", ready: true, Now.AddMinutes(-10)),
            Pod("ready-new", "n1", "Running", ready: true, Now.AddMinutes(-1)),
            Pod("not-ready", "n1", "Running", ready: false, Now.AddMinutes(-20)),
            Pod("pending", "n1", "Pending", ready: false, Now.AddMinutes(-30)),
            Pod("unscheduled", null, "Pending", ready: false, Now.AddMinutes(-40)),
        };

        var plan = ReplicaSetPlan.Compute(ReplicaSet(1, minReady: 0), pods);

        plan.Create.Should().Be(0);
        plan.Delete.Select(p => p.Metadata!.Name).Should().Equal("unscheduled", "pending", "not-ready", "ready-new");
    }

    [Fact]
    public void Compute_FailedPod_IsDeletedAndReplaced()
    {
        var plan = ReplicaSetPlan.Compute(ReplicaSet(2, minReady: 0), [Pod("ok", "n1", "Running", true, Now), Pod("failed", "n1", "Failed", false, Now)]);

        (plan.Create, plan.Delete.Single().Metadata!.Name).Should().Be((1, "failed"));
    }

    [Fact]
    public void Build_Pods_CountsActiveLabelledReadyAndAvailableAfterMinReadySeconds()
    {
        var pods = new[]
        {
            Pod("long-ready", "n1", "Running", ready: true, Now.AddMinutes(-10), readySince: Now.AddSeconds(-60)),
            Pod("just-ready", "n1", "Running", ready: true, Now.AddMinutes(-1), readySince: Now.AddSeconds(-5)),
            Pod("unlabelled", "n1", "Running", ready: false, Now, labels: []),
            Pod("gone", "n1", "Running", ready: true, Now, deleting: true),
        };

        var status = ReplicaSetStatusBuilder.Build(ReplicaSet(3, minReady: 30), pods, Now);

        (status.Replicas, status.FullyLabeledReplicas, status.ReadyReplicas, status.AvailableReplicas, status.ObservedGeneration).Should().Be((3, 2, 2, 1, 4L));
    }

    private static V1ReplicaSet ReplicaSet(int replicas, int minReady) => new()
    {
        Metadata = new V1ObjectMeta { Name = "rs", Namespace = "default", Generation = 4 },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas, MinReadySeconds = minReady, Selector = new V1LabelSelector(),
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "a" } } },
        },
    };

    private static V1Pod Pod(string name, string? node, string phase, bool ready, DateTimeOffset created, DateTimeOffset? readySince = null,
        Dictionary<string, string>? labels = null, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, CreationTimestamp = created, Labels = labels ?? new Dictionary<string, string> { ["app"] = "a" },
            DeletionTimestamp = deleting ? Now : null,
        },
        Spec = new V1PodSpec { NodeName = node, Containers = [] },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = readySince ?? created }],
        },
    };
}
