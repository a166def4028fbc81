using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>ReplicaFailure set once on a failed pass, removed after a clean one, copied to the Deployment, new ReplicaSet first.</summary>
public sealed class ReplicaFailureConditionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(1);

    [Fact]
    public void ForReplicaSet_FailedCreate_SetsTheConditionWithTheApiMessage()
    {
        var error = new KubeApiException(System.Net.HttpStatusCode.Forbidden, new V1Status { Reason = "Forbidden", Message = "pods \"x-\" is forbidden: denied" });

        var conditions = ReplicaFailureCondition.ForReplicaSet(null, ReplicaFailureCondition.Outcome.Failed(ReplicaFailureCondition.FailedCreate, error), Now);

        var condition = conditions.Should().ContainSingle().Subject;
        (condition.Type, condition.Status, condition.Reason, condition.Message, condition.LastTransitionTime)
            .Should().Be(("ReplicaFailure", "True", "FailedCreate", "pods \"x-\" is forbidden: denied", (DateTimeOffset?)Now));
    }

    [Fact]
    public void ForReplicaSet_AlreadyFailing_KeepsTheFirstCondition()
    {
        var current = Failing("first");

        var conditions = ReplicaFailureCondition.ForReplicaSet(current, new ReplicaFailureCondition.Outcome("FailedDelete", "second"), Now.AddMinutes(1));

        conditions.Should().BeSameAs(current);
    }

    [Fact]
    public void ForReplicaSet_CleanPass_RemovesIt_AndNoPassKeepsIt()
    {
        ReplicaFailureCondition.ForReplicaSet(Failing("x"), ReplicaFailureCondition.Outcome.Succeeded, Now).Should().BeNull();
        ReplicaFailureCondition.ForReplicaSet(Failing("x"), null, Now).Should().ContainSingle(c => c.Message == "x", "a ReplicaSet backing off keeps its condition");
    }

    [Fact]
    public void ForDeployment_NewAndOldFailing_TheNewReplicaSetsFailureWins()
    {
        var old = new V1ReplicaSet { Status = new V1ReplicaSetStatus { Replicas = 0, Conditions = Failing("old") } };
        var fresh = new V1ReplicaSet { Status = new V1ReplicaSetStatus { Replicas = 0, Conditions = Failing("new") } };

        var condition = ReplicaFailureCondition.ForDeployment(fresh, [old, fresh])!;

        (condition.Type, condition.Status, condition.Reason, condition.Message, condition.LastUpdateTime).Should().Be(("ReplicaFailure", "True", "FailedCreate", "new", (DateTimeOffset?)Now));
        ReplicaFailureCondition.ForDeployment(null, [old])!.Message.Should().Be("old");
        ReplicaFailureCondition.ForDeployment(null, [new V1ReplicaSet()]).Should().BeNull();
    }

    private static List<V1ReplicaSetCondition> Failing(string message) =>
        [new V1ReplicaSetCondition { Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate", Message = message, LastTransitionTime = Now }];
}
