using RecOperator.Crds;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>Owner references that make a RecModel the controller of its children, so deleting it collects them.</summary>
public static class OwnerReferences
{
    public static V1OwnerReference ControllerOf(RecModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var metadata = model.Metadata ?? throw new ArgumentException("the RecModel has no metadata", nameof(model));
        return new V1OwnerReference
        {
            ApiVersion = RecModel.Descriptor.ApiVersion,
            Kind = RecModel.KindName,
            Name = metadata.Name ?? throw new ArgumentException("the RecModel has no name", nameof(model)),
            Uid = metadata.Uid ?? throw new ArgumentException("the RecModel has no uid: read it from the API server before building children", nameof(model)),
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }
}
