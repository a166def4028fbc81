using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.Crds.Generation;

/// <summary>What a CRD says about a resource beyond its schema: names, scope, printer columns.</summary>
public sealed record CustomResourceInfo(
    Type ResourceType,
    ResourceDescriptor Descriptor,
    string Singular,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<V1CustomResourceColumnDefinition> PrinterColumns)
{
    /// <summary>The CRD's name: plural.group.</summary>
    public string CrdName => $"{Descriptor.Plural}.{Descriptor.Group}";
}
