using RecOperator.Kube.Models;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests;

public sealed class EventFiltersTests
{
    private static V1ConfigMap Map(long generation, string version, DateTimeOffset? deleting = null) =>
        new() { Metadata = new V1ObjectMeta { Name = "m", Namespace = "ns", Generation = generation, ResourceVersion = version, DeletionTimestamp = deleting } };

    [Theory]
    [InlineData(InformerEventType.Added, 1, 1, true)]
    [InlineData(InformerEventType.Deleted, 1, 1, true)]
    [InlineData(InformerEventType.Resync, 1, 1, true)]
    [InlineData(InformerEventType.Updated, 1, 2, true)]
    [InlineData(InformerEventType.Updated, 2, 2, false)]
    public void GenerationChanged_Event_PassesOnlySpecChanges(InformerEventType type, long oldGeneration, long newGeneration, bool expected) =>
        EventFilters.GenerationChanged(new InformerEvent<V1ConfigMap>(type, Map(newGeneration, "2"), Map(oldGeneration, "1"))).Should().Be(expected);

    [Fact]
    public void GenerationChanged_DeletionStarted_Passes() =>
        EventFilters.GenerationChanged(new InformerEvent<V1ConfigMap>(InformerEventType.Updated, Map(1, "2", DateTimeOffset.UnixEpoch), Map(1, "1"))).Should().BeTrue();

    [Theory]
    [InlineData("serving.recoperator.io/v1alpha1", "RecModel", true, "ctr")]
    [InlineData("serving.recoperator.io/v1beta1", "RecModel", true, "ctr")]
    [InlineData("serving.recoperator.io/v1alpha1", "NodePool", true, null)]
    [InlineData("other.io/v1alpha1", "RecModel", true, null)]
    [InlineData("serving.recoperator.io/v1alpha1", "RecModel", false, null)]
    public void ControllerOwner_OwnedObject_MapsToControllingOwnerOfThatKind(string apiVersion, string kind, bool controller, string? expected)
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta
            {
                Name = "ctr-cpu",
                Namespace = "prod",
                OwnerReferences = [new V1OwnerReference { ApiVersion = apiVersion, Kind = kind, Name = "ctr", Uid = "u", Controller = controller }],
            },
        };

        var owner = EventFilters.ControllerOwner(deployment, "serving.recoperator.io/v1alpha1", "RecModel");

        owner.Should().Be(expected is null ? null : new ObjectKey("prod", expected));
    }
}
