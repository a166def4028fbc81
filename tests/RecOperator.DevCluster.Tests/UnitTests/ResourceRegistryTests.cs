using FluentAssertions;
using RecOperator.DevCluster.Resources;
using Xunit;

namespace RecOperator.DevCluster.Tests.UnitTests;

public sealed class ResourceRegistryTests
{
    private static readonly IReadOnlyList<ResourceType> Gadgets = [new ResourceType("tmp.recoperator.io", "v1", "Gadget", "gadgets", true) { IsCustom = true }];

    [Fact]
    public void SyncCrd_CrdGoneFromTheStore_StopsServingItsGroup()
    {
        var registry = new ResourceRegistry();
        registry.SyncCrd("gadgets.tmp.recoperator.io", () => Gadgets);

        registry.SyncCrd("gadgets.tmp.recoperator.io", () => null);

        registry.Find("tmp.recoperator.io", "v1", "gadgets").Should().BeNull();
        registry.Groups().Select(g => g.Group).Should().NotContain("tmp.recoperator.io");
    }
}
