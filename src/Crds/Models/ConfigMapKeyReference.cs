using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>
/// One key of a ConfigMap in the RecModel's namespace. Unlike the core type's selector it has no <c>optional</c>:
/// a pod told to trust a bundle must not start without it.
/// </summary>
[Description("A key of a ConfigMap in the RecModel's namespace.")]
public sealed record ConfigMapKeyReference
{
    [Description("Name of the ConfigMap.")]
    [Pattern(Patterns.Dns1123Subdomain, Patterns.Dns1123SubdomainReason)]
    [MaxLength(253)]
    public required string Name { get; init; }

    [Description("The key in the ConfigMap's data, e.g. ca.crt.")]
    [Pattern(Patterns.DataKey, Patterns.DataKeyReason)]
    [MaxLength(253)]
    public required string Key { get; init; }
}
