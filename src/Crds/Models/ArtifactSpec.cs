using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>The ONNX file a variant serves, pinned by digest.</summary>
[Description("The ONNX artifact a variant serves, pinned by its sha256 digest.")]
[CelRule("!has(self.caBundle) || self.uri.matches('" + Patterns.TlsArtifactUri + "')",
    "caBundle needs an artifact fetched over TLS (uri https://, s3:// or gs://)", FieldPath = ".caBundle")]
public sealed record ArtifactSpec
{
    [Description("Where the artifact is: file://, http(s)://, s3://, gs:// or pvc://CLAIM/PATH.")]
    [Pattern(Patterns.ArtifactUri, Patterns.ArtifactUriReason)]
    [MaxLength(2048)]
    public required string Uri { get; init; }

    [Description("sha256 of the artifact file, 64 lower-case hex characters; the pod refuses a file that does not match.")]
    [Pattern(Patterns.Sha256, Patterns.Sha256Reason)]
    public string? Sha256 { get; init; }

    [Description("Numeric precision the artifact was produced in.")]
    public Precision Precision { get; init; } = Precision.Fp32;

    [Description("CA certificates trusted besides the system's when the artifact is downloaded, for a store with a private CA. Only with https://, s3:// or gs:// URIs.")]
    public CaBundleSpec? CaBundle { get; init; }
}
