using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.RolloutPlanTests;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>Revision numbering, the annotations the new ReplicaSet carries, and which old ReplicaSets revisionHistoryLimit lets go.</summary>
public sealed class DeploymentRevisionsTests
{
    [Fact]
    public void Next_OldReplicaSets_IsOnePastTheNewest()
    {
        DeploymentRevisions.Next([]).Should().Be(1);
        DeploymentRevisions.Next([ReplicaSet("a", 0, 0, 1, 1), ReplicaSet("b", 0, 0, 4, 1), ReplicaSet("c", 0, 0, 2, 1)]).Should().Be(5);
    }

    [Fact]
    public void ForNewReplicaSet_RolledBackReplicaSet_GetsTheNewRevisionAndKeepsTheOldInHistory()
    {
        var deployment = Deployment(2, "1", "0") with
        {
            Metadata = Deployment(2, "1", "0").Metadata! with
            {
                Annotations = new Dictionary<string, string>
                {
                    ["kubernetes.io/change-cause"] = "undo",
                    [DeploymentRevisions.Revision] = "2",
                    ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
                },
            },
        };
        var current = new Dictionary<string, string> { [DeploymentRevisions.Revision] = "1", [DeploymentRevisions.DesiredReplicas] = "2" };

        var annotations = DeploymentRevisions.ForNewReplicaSet(deployment, current, 3, created: false);

        annotations.Should().Equal(new Dictionary<string, string>
        {
            [DeploymentRevisions.Revision] = "3",
            [DeploymentRevisions.RevisionHistory] = "1",
            [DeploymentRevisions.DesiredReplicas] = "2",
            ["kubernetes.io/change-cause"] = "undo",
        });
        DeploymentRevisions.ForNewReplicaSet(deployment, annotations, 3, created: false).Should().Equal(annotations, "a revision it already has changes nothing");
    }

    [Fact]
    public void ForNewReplicaSet_Created_CarriesDesiredAndMaxReplicas()
    {
        var annotations = DeploymentRevisions.ForNewReplicaSet(Deployment(4, "25%", "25%"), null, 1, created: true);

        annotations.Should().Equal(new Dictionary<string, string>
        {
            [DeploymentRevisions.Revision] = "1", [DeploymentRevisions.DesiredReplicas] = "4", [DeploymentRevisions.MaxReplicas] = "5",
        });
    }

    [Theory]
    [InlineData(2, new[] { 1, 2, 3 }, new[] { 1 })]
    [InlineData(0, new[] { 3, 1, 2 }, new[] { 1, 2, 3 })]
    [InlineData(5, new[] { 1, 2, 3 }, new int[0])]
    public void BeyondHistory_MoreOldReplicaSetsThanTheLimit_DeletesTheLowestRevisions(int limit, int[] revisions, int[] expected)
    {
        var deployment = Deployment(1, "1", "0") with { Spec = Deployment(1, "1", "0").Spec! with { RevisionHistoryLimit = limit } };

        var deleted = DeploymentRevisions.BeyondHistory(deployment, revisions.Select(r => ReplicaSet($"rs-{r}", 0, 0, r, 1)).ToList());

        deleted.Select(rs => DeploymentRevisions.Of(rs.Metadata)).Should().Equal(expected.Select(e => (long)e));
    }

    [Fact]
    public void BeyondHistory_OldReplicaSetStillWithPods_IsKept()
    {
        var deployment = Deployment(1, "1", "0") with { Spec = Deployment(1, "1", "0").Spec! with { RevisionHistoryLimit = 0 } };
        var stopping = ReplicaSet("rs-1", 0, 0, 1, 1) with { Status = new V1ReplicaSetStatus { Replicas = 1, ObservedGeneration = 1 } };
        var unobserved = ReplicaSet("rs-2", 0, 0, 2, 1) with { Metadata = ReplicaSet("rs-2", 0, 0, 2, 1).Metadata! with { Generation = 2 } };

        DeploymentRevisions.BeyondHistory(deployment, [stopping, unobserved, ReplicaSet("rs-3", 0, 0, 3, 1)]).Should().ContainSingle().Which.Metadata!.Name.Should().Be("rs-3");
    }

    [Fact]
    public void FindNew_TemplateOfAnOldReplicaSet_IsThatReplicaSet()
    {
        var deployment = Deployment(1, "1", "0");
        var matching = DeploymentController.ReplicaSetFor(deployment, 1, 1);
        var other = DeploymentController.ReplicaSetFor(deployment with { Spec = deployment.Spec! with { Template = deployment.Spec.Template with { Spec = new V1PodSpec { Containers = [new V1Container { Name = "x" }] } } } }, 1, 2);

        DeploymentRevisions.FindNew(deployment, [other, matching]).Should().BeSameAs(matching, "the pod-template-hash label is not part of the comparison");
        matching.Metadata!.Name.Should().Be($"d-{PodTemplateHash.Of(deployment.Spec!.Template)}");
        matching.Spec!.Selector.MatchLabels.Should().ContainKey(PodTemplateHash.Label).And.ContainKey("app");
        DeploymentRevisions.FindNew(deployment, [other]).Should().BeNull();
    }
}
