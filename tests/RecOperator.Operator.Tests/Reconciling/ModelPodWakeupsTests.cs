using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests.Reconciling;

public sealed class ModelPodWakeupsTests
{
    private static readonly ObjectKey Model = new("prod", "ctr");

    [Theory]
    [InlineData(InformerEventType.Added, true)]
    [InlineData(InformerEventType.Deleted, true)]
    [InlineData(InformerEventType.Resync, false)]
    public void ModelOf_PodAddedDeletedOrResynced_WakesItsModelOnlyWhenItCameOrWent(InformerEventType type, bool wakes) =>
        ModelPodWakeups.ModelOf(new InformerEvent<V1Pod>(type, Pod(Running()), type == InformerEventType.Resync ? Pod(Running()) : null))
            .Should().Be(wakes ? Model : null);

    public static TheoryData<string, V1PodStatus> ProblemChanges => new()
    {
        { "unschedulable", new V1PodStatus { Phase = "Pending", Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/6 nodes" }] } },
        { "crash loop", Running() with { ContainerStatuses = [Container() with { State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } } }] } },
        { "last exit", Running() with { ContainerStatuses = [Container() with { LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Message = "bad input" } } }] } },
        { "failed", Running() with { Phase = "Failed" } },
    };

    [Theory]
    [MemberData(nameof(ProblemChanges))]
    public void ModelOf_WhatTheReconcilerReadsChanged_WakesItsModel(string change, V1PodStatus now) =>
        ModelPodWakeups.ModelOf(new InformerEvent<V1Pod>(InformerEventType.Updated, Pod(now), Pod(Running()))).Should().Be(Model, change);

    [Fact]
    public void ModelOf_PodTurnedReady_WakesNothingAsTheDeploymentsStatusDoes()
    {
        var ready = Running() with { Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }], ContainerStatuses = [Container() with { Ready = true, RestartCount = 1 }] };

        ModelPodWakeups.ModelOf(new InformerEvent<V1Pod>(InformerEventType.Updated, Pod(ready), Pod(Running()))).Should().BeNull();
    }

    [Fact]
    public void ModelOf_PodWithoutModelLabel_WakesNothing()
    {
        var other = Pod(Running()) with { Metadata = new V1ObjectMeta { Name = "p", Namespace = "prod", Labels = new Dictionary<string, string> { ["app"] = "x" } } };

        ModelPodWakeups.ModelOf(new InformerEvent<V1Pod>(InformerEventType.Added, other)).Should().BeNull();
    }

    private static V1PodStatus Running() => new() { Phase = "Running", ContainerStatuses = [Container()] };

    private static V1ContainerStatus Container() => new() { Name = "recpod", Image = "i", ImageID = "", Ready = false, RestartCount = 0 };

    private static V1Pod Pod(V1PodStatus status) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", Namespace = "prod", Labels = ChildLabels.For("ctr", "cpu", "spot") },
        Status = status,
    };
}
