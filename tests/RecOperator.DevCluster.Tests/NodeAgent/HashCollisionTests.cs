using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>A taken ReplicaSet name is the Deployment's own only with its controller reference and template; collisionCount renames.</summary>
public sealed class HashCollisionTests
{
    [Fact]
    public void IsOwn_ControlledAndSameTemplate_IsOwn_ElseACollision()
    {
        var deployment = Deployment();
        var own = DeploymentController.ReplicaSetFor(deployment, 1, 1) with { Metadata = new V1ObjectMeta { OwnerReferences = [Controller("d-uid")] } };

        HashCollision.IsOwn(deployment, own).Should().BeTrue();
        HashCollision.IsOwn(deployment, own with { Metadata = new V1ObjectMeta { OwnerReferences = [Controller("other")] } }).Should().BeFalse();
        HashCollision.IsOwn(deployment, own with { Metadata = new V1ObjectMeta() }).Should().BeFalse();
        var otherTemplate = own.Spec! with { Template = own.Spec!.Template! with { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "b" } } } };
        HashCollision.IsOwn(deployment, own with { Spec = otherTemplate }).Should().BeFalse();
    }

    [Fact]
    public void ReplicaSetFor_CollisionCount_NamesTheSameTemplateAnew()
    {
        var deployment = Deployment();
        var first = DeploymentController.ReplicaSetFor(deployment, 1, 1).Metadata!.Name;
        var collided = deployment with { Status = new V1DeploymentStatus { CollisionCount = HashCollision.NextCollisionCount(deployment.Status) } };

        var renamed = DeploymentController.ReplicaSetFor(collided, 1, 1);

        renamed.Metadata!.Name.Should().NotBe(first).And.Be($"d-{PodTemplateHash.Of(deployment.Spec!.Template, 1)}");
        renamed.Spec!.Selector.MatchLabels!["pod-template-hash"].Should().Be(PodTemplateHash.Of(deployment.Spec.Template, 1));
        DeploymentRevisions.FindNew(collided, [renamed]).Should().BeSameAs(renamed, "the new ReplicaSet is found by its template, whatever its hash");
        PodTemplateHash.Of(deployment.Spec.Template, 2).Should().NotBe(PodTemplateHash.Of(deployment.Spec.Template, 1));
    }

    private static V1OwnerReference Controller(string uid) => new() { ApiVersion = "apps/v1", Kind = "Deployment", Name = "d", Uid = uid, Controller = true };

    private static V1Deployment Deployment() => new()
    {
        Metadata = new V1ObjectMeta { Name = "d", Namespace = "ns", Uid = "d-uid" },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "a" } },
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "a" } }, Spec = new V1PodSpec { Containers = [] } },
        },
    };
}
