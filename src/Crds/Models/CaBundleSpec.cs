using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>
/// The CA certificates the pod trusts, besides the system's, when it downloads the artifact: a private store's CA.
/// A reference, not the PEM itself, so the bundle is managed (and rotated) where the cluster keeps it: a ConfigMap
/// (CA certificates are public) or a Secret (where a cluster's tooling, such as cert-manager, writes them).
/// </summary>
[Description("Extra CA certificates (PEM) the inference pod trusts when it downloads the artifact over TLS, for a store with a private CA. Exactly one of configMapKeyRef and secretKeyRef.")]
[CelRule("has(self.configMapKeyRef) != has(self.secretKeyRef)", OneSourceMessage)]
public sealed record CaBundleSpec
{
    /// <summary>What is wrong when neither or both sources are set; the CEL rule and the operator's check say the same.</summary>
    public const string OneSourceMessage = "exactly one of configMapKeyRef and secretKeyRef must be set";

    [Description("The ConfigMap key holding the PEM bundle; the ConfigMap must be in the RecModel's namespace. The pods mount it read-only.")]
    public ConfigMapKeyReference? ConfigMapKeyRef { get; init; }

    [Description("The Secret key holding the PEM bundle; the Secret must be in the RecModel's namespace. The pods mount it read-only.")]
    public SecretKeyReference? SecretKeyRef { get; init; }
}
