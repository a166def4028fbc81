using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>ClaimObject's rules: orphans that match are adopted, owned ones that stop matching released, others' left alone.</summary>
public sealed class ControllerClaimsTests
{
    private static readonly V1LabelSelector Selector = new() { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } };

    [Fact]
    public void Compute_MatchingOrphan_IsAdopted()
    {
        var claims = ControllerClaims<V1Pod>.Compute(Owner(), Selector, [Pod("orphan", "web", owner: null)]);

        claims.Adopt.Select(p => p.Metadata!.Name).Should().Equal("orphan");
        claims.Release.Should().BeEmpty();
    }

    [Fact]
    public void Compute_OwnedPodThatStoppedMatching_IsReleased()
    {
        var claims = ControllerClaims<V1Pod>.Compute(Owner(), Selector, [Pod("relabelled", "other", owner: "rs-uid"), Pod("kept", "web", owner: "rs-uid")]);

        claims.Release.Select(p => p.Metadata!.Name).Should().Equal("relabelled");
        claims.Adopt.Should().BeEmpty();
    }

    [Fact]
    public void Compute_OwnerBeingDeleted_NeitherAdoptsNorReleases()
    {
        var claims = ControllerClaims<V1Pod>.Compute(Owner() with { DeletionTimestamp = DateTimeOffset.UnixEpoch }, Selector,
            [Pod("orphan", "web", owner: null), Pod("relabelled", "other", owner: "rs-uid")]);

        (claims.Adopt.Count, claims.Release.Count).Should().Be((0, 0));
    }

    [Fact]
    public void Compute_OrphansNotToTake_AreLeftAlone()
    {
        var pods = new[]
        {
            Pod("not-matching", "other", owner: null),
            Pod("elsewhere", "web", owner: null, ns: "other-ns"),
            Pod("terminating", "web", owner: null) is var p ? p with { Metadata = p.Metadata! with { DeletionTimestamp = DateTimeOffset.UnixEpoch } } : p,
            Pod("someone-elses", "other", owner: "another-uid"),
        };

        var claims = ControllerClaims<V1Pod>.Compute(Owner(), Selector, pods);

        (claims.Adopt.Count, claims.Release.Count).Should().Be((0, 0));
    }

    [Fact]
    public void AdoptedAndReleased_OwnerReference_AddedThenRemoved()
    {
        var owner = new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "rs", Uid = "rs-uid", Controller = true, BlockOwnerDeletion = true };
        var adopted = ControllerClaims.Adopted(Pod("orphan", "web", owner: null).Metadata!, owner)!;

        adopted.OwnerReferences.Should().ContainSingle().Which.Should().Be(owner);
        ControllerClaims.Adopted(adopted, owner).Should().BeNull("something already controls it");
        ControllerClaims.Released(adopted, "rs-uid")!.OwnerReferences.Should().BeNull();
        ControllerClaims.Released(adopted, "another-uid").Should().BeNull("it holds no reference to release");
    }

    private static V1ObjectMeta Owner() => new() { Name = "rs", Namespace = "ns", Uid = "rs-uid" };

    private static V1Pod Pod(string name, string app, string? owner, string ns = "ns") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, Namespace = ns, Labels = new Dictionary<string, string> { ["app"] = app },
            OwnerReferences = owner is null ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "x", Uid = owner, Controller = true }],
        },
    };
}
