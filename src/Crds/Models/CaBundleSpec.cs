using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>
/// The CA certificates the pod trusts, besides the system's, when it downloads the artifact: a private store's CA.
/// A reference, not the PEM itself, so the bundle is managed (and rotated) where the cluster keeps it.
/// </summary>
[Description("Extra CA certificates (PEM) the inference pod trusts when it downloads the artifact over TLS, for a store with a private CA.")]
public sealed record CaBundleSpec
{
    [Description("The ConfigMap key holding the PEM bundle; the ConfigMap must be in the RecModel's namespace. The pods mount it read-only.")]
    public required ConfigMapKeyReference ConfigMapKeyRef { get; init; }
}
