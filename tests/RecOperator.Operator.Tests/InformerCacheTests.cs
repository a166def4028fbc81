using RecOperator.Kube.Models;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests;

public sealed class InformerCacheTests
{
    private static V1Pod Pod(string ns, string name, string app, string? ownerUid = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Namespace = ns,
            Name = name,
            Labels = new Dictionary<string, string> { ["app"] = app },
            OwnerReferences = ownerUid is null ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "rs", Uid = ownerUid }],
        },
    };

    [Fact]
    public void Indexes_ByNamespaceLabelAndOwner_FindTheRightObjects()
    {
        var cache = new InformerCache<V1Pod>();
        cache.Upsert(Pod("a", "p1", "web", "u1"));
        cache.Upsert(Pod("a", "p2", "db"));
        cache.Upsert(Pod("b", "p3", "web", "u1"));

        cache.ByNamespace("a").Select(p => p.Metadata!.Name).Should().BeEquivalentTo(["p1", "p2"]);
        cache.ByLabel("app", "web").Select(p => p.Metadata!.Name).Should().BeEquivalentTo(["p1", "p3"]);
        cache.ByOwner("u1").Should().HaveCount(2);
        cache.Get(new ObjectKey("b", "p3")).Should().NotBeNull();
    }

    [Fact]
    public void Upsert_LabelChanged_MovesObjectBetweenIndexEntries()
    {
        var cache = new InformerCache<V1Pod>();
        cache.Upsert(Pod("a", "p1", "web"));

        var previous = cache.Upsert(Pod("a", "p1", "db"));

        previous!.Metadata!.Labels!["app"].Should().Be("web");
        cache.ByLabel("app", "web").Should().BeEmpty();
        cache.ByLabel("app", "db").Should().ContainSingle();
        cache.Count.Should().Be(1);
    }

    [Fact]
    public void Remove_Object_LeavesNoIndexEntries()
    {
        var cache = new InformerCache<V1Pod>();
        cache.Upsert(Pod("a", "p1", "web", "u1"));

        cache.Remove(new ObjectKey("a", "p1")).Should().NotBeNull();

        (cache.ByNamespace("a").Count + cache.ByLabel("app", "web").Count + cache.ByOwner("u1").Count).Should().Be(0);
    }
}
