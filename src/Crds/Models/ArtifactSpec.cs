using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>The ONNX file a variant serves, pinned by digest.</summary>
[Description("The ONNX artifact a variant serves, pinned by its sha256 digest.")]
[CelRule("!has(self.caBundle) || self.uri.matches('" + Patterns.TlsArtifactUri + "')",
    "caBundle needs an artifact fetched over TLS (uri https://, s3:// or gs://)", FieldPath = ".caBundle")]
[CelRule("!has(self.credentialsSecret) || self.uri.matches('" + Patterns.ObjectStoreArtifactUri + "')",
    "credentialsSecret needs an artifact in a bucket store (uri s3:// or gs://)", FieldPath = ".credentialsSecret")]
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

    /// <summary>
    /// A Secret whose keys become the inference pod's environment (envFrom), for the credentials the pod reads from
    /// the standard variables. The whole Secret rather than chosen keys: the variables a store needs differ (a
    /// session token, a region, an S3-compatible endpoint), and the Secret's owner decides which are set.
    /// </summary>
    [Description("Name of a Secret in the RecModel's namespace whose keys become the inference pod's environment variables, for the bucket store's credentials: " +
        "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optionally AWS_SESSION_TOKEN, AWS_REGION and AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL, path-style, for MinIO or Ceph) for s3://; " +
        "GOOGLE_OAUTH_ACCESS_TOKEN for gs:// (without it the pod asks the GKE metadata server, then reads public objects anonymously). " +
        "Only with s3:// or gs:// URIs. Pods of the variant do not start until the Secret exists.")]
    [Pattern(Patterns.Dns1123Subdomain, Patterns.Dns1123SubdomainReason)]
    [MaxLength(253)]
    public string? CredentialsSecret { get; init; }
}
