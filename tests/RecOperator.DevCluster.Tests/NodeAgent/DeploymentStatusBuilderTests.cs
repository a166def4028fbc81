using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.RolloutPlanTests;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>A Deployment's status from its ReplicaSets, with the Progressing reasons of kube-controller-manager in their order.</summary>
public sealed class DeploymentStatusBuilderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(2);

    [Fact]
    public void Build_NewReplicaSetJustCreated_IsNewReplicaSetCreatedAndCountsEveryReplicaSet()
    {
        var deployment = Deployment(4, "1", "1") with { Status = Status(replicas: 4, updated: 4, available: 4, Progressing("True", "NewReplicaSetAvailable", Now.AddDays(-1))) };
        var old = ReplicaSet("d-old", 4, 4, 1, 4);
        var fresh = ReplicaSet("d-new", 1, 0, 2, 4) with { Status = new V1ReplicaSetStatus { Replicas = 0 } };

        var status = DeploymentStatusBuilder.Build(deployment, fresh, [old, fresh], created: true, rollout: true, Now);

        (status.Replicas, status.UpdatedReplicas, status.ReadyReplicas, status.AvailableReplicas, status.UnavailableReplicas, status.ObservedGeneration)
            .Should().Be((4, 0, 4, 4, 1, 1L));
        Condition(status, "Progressing").Should().Match<V1DeploymentCondition>(c => c.Status == "True" && c.Reason == "NewReplicaSetCreated" && c.Message == "Created new replica set \"d-new\"");
        Condition(status, "Available").Should().Match<V1DeploymentCondition>(c => c.Status == "True" && c.Reason == "MinimumReplicasAvailable");
    }

    [Fact]
    public void Build_MoreUpdatedReplicas_IsReplicaSetUpdatedKeepingTheTransitionTime()
    {
        var before = Deployment(2, "1", "0") with { Status = Status(replicas: 2, updated: 0, available: 2, Progressing("True", "NewReplicaSetCreated", Now.AddMinutes(-5))) };
        var fresh = ReplicaSet("d-new", 1, 0, 2, 2);

        var status = DeploymentStatusBuilder.Build(before, fresh, [ReplicaSet("d-old", 2, 2, 1, 2), fresh], created: false, rollout: true, Now);

        Condition(status, "Progressing").Should().Match<V1DeploymentCondition>(c => c.Reason == "ReplicaSetUpdated" && c.Message == "ReplicaSet \"d-new\" is progressing."
            && c.LastTransitionTime == Now.AddMinutes(-5) && c.LastUpdateTime == Now);
    }

    [Fact]
    public void Build_EveryReplicaUpdatedAndAvailable_IsNewReplicaSetAvailable()
    {
        var before = Deployment(2, "1", "0") with { Status = Status(replicas: 3, updated: 2, available: 3, Progressing("True", "ReplicaSetUpdated", Now.AddMinutes(-1))) };
        var fresh = ReplicaSet("d-new", 2, 2, 2, 2);

        var status = DeploymentStatusBuilder.Build(before, fresh, [ReplicaSet("d-old", 0, 0, 1, 2), fresh], created: false, rollout: true, Now);

        Condition(status, "Progressing").Should().Match<V1DeploymentCondition>(c => c.Status == "True" && c.Reason == "NewReplicaSetAvailable" && c.Message == "ReplicaSet \"d-new\" has successfully progressed.");
    }

    [Theory]
    [InlineData(-601, "False", "ProgressDeadlineExceeded")]
    [InlineData(-599, "True", "ReplicaSetUpdated")]
    public void Build_NoProgress_TimesOutAfterProgressDeadlineSeconds(int secondsAgo, string expectedStatus, string expectedReason)
    {
        var stuck = ReplicaSet("d-new", 1, 0, 2, 2);
        var before = Deployment(2, "1", "0") with
        {
            Spec = Deployment(2, "1", "0").Spec! with { ProgressDeadlineSeconds = 600 },
            Status = Status(replicas: 2, updated: 1, available: 2, Progressing("True", "ReplicaSetUpdated", Now.AddSeconds(secondsAgo))),
        };

        var status = DeploymentStatusBuilder.Build(before, stuck, [ReplicaSet("d-old", 2, 2, 1, 2), stuck], created: false, rollout: true, Now);

        Condition(status, "Progressing").Should().Match<V1DeploymentCondition>(c => c.Status == expectedStatus && c.Reason == expectedReason);
    }

    [Fact]
    public void Build_PausedThenResumed_IsUnknownDeploymentPausedThenDeploymentResumed()
    {
        var deployment = Deployment(1, "1", "0") with { Spec = Deployment(1, "1", "0").Spec! with { Paused = true, ProgressDeadlineSeconds = 600 } };
        var rs = ReplicaSet("d-new", 1, 1, 1, 1);

        var paused = DeploymentStatusBuilder.Build(deployment, rs, [rs], created: false, rollout: false, Now);
        var resumed = DeploymentStatusBuilder.Build(deployment with { Spec = deployment.Spec! with { Paused = false }, Status = paused }, rs, [rs], created: false, rollout: false, Now);

        Condition(paused, "Progressing").Should().Match<V1DeploymentCondition>(c => c.Status == "Unknown" && c.Reason == "DeploymentPaused" && c.Message == "Deployment is paused");
        Condition(resumed, "Progressing").Should().Match<V1DeploymentCondition>(c => c.Status == "Unknown" && c.Reason == "DeploymentResumed");
    }

    [Fact]
    public void Build_RecreateWithAnUnavailablePod_IsMinimumReplicasUnavailable()
    {
        var deployment = Deployment(2, "1", "1") with { Spec = Deployment(2, "1", "1").Spec! with { Strategy = new V1DeploymentStrategy { Type = "Recreate" } } };
        var rs = ReplicaSet("d-new", 2, 1, 1, 2);

        var status = DeploymentStatusBuilder.Build(deployment, rs, [rs], created: false, rollout: true, Now);

        Condition(status, "Available").Should().Match<V1DeploymentCondition>(c => c.Status == "False" && c.Reason == "MinimumReplicasUnavailable",
            "Recreate allows no unavailable replica");
    }

    private static V1DeploymentCondition Condition(V1DeploymentStatus status, string type) => status.Conditions!.Single(c => c.Type == type);

    private static V1DeploymentCondition Progressing(string status, string reason, DateTimeOffset at) =>
        new() { Type = "Progressing", Status = status, Reason = reason, LastTransitionTime = at, LastUpdateTime = at };

    private static V1DeploymentStatus Status(int replicas, int updated, int available, V1DeploymentCondition progressing) => new()
    {
        Replicas = replicas, UpdatedReplicas = updated, ReadyReplicas = available, AvailableReplicas = available, ObservedGeneration = 1,
        Conditions = [progressing],
    };
}
