using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>
/// One key of a Secret in the RecModel's namespace. Not the core SecretKeySelector: that one has <c>optional</c> and
/// an empty-allowed name, and a pod told to trust a bundle must not start without it.
/// </summary>
[Description("A key of a Secret in the RecModel's namespace.")]
public sealed record SecretKeyReference
{
    [Description("Name of the Secret.")]
    [Pattern(Patterns.Dns1123Subdomain, Patterns.Dns1123SubdomainReason)]
    [MaxLength(253)]
    public required string Name { get; init; }

    [Description("The key in the Secret's data, e.g. ca.crt.")]
    [Pattern(Patterns.DataKey, Patterns.DataKeyReason)]
    [MaxLength(253)]
    public required string Key { get; init; }
}
