namespace RecOperator.Crds.Schema;

/// <summary>Regular expressions shared by the attributes and the validator, with their human-readable reasons.</summary>
public static class Patterns
{
    /// <summary>RFC 1123 label: what Kubernetes requires of names that become parts of other names and labels.</summary>
    public const string Dns1123Label = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    public const string Dns1123LabelReason = "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit";

    /// <summary>
    /// RFC 1035 label: what Kubernetes requires of a Service's name. A RecModel's name is its Service's name and
    /// prefixes its variants' Services, so it must start with a letter, where an RFC 1123 label may start with a digit.
    /// </summary>
    public const string Dns1035Label = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    public const string Dns1035LabelReason = "must be a DNS-1035 label, as it names the model's Services: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit";

    /// <summary>Lower-case hex sha256 digest.</summary>
    public const string Sha256 = "^[a-f0-9]{64}$";

    public const string Sha256Reason = "must be 64 lower-case hexadecimal characters (a sha256 digest)";

    /// <summary>RFC 1123 subdomain: what Kubernetes requires of most object names (ConfigMaps, Secrets).</summary>
    public const string Dns1123Subdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    public const string Dns1123SubdomainReason = "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";

    /// <summary>
    /// A ConfigMap or Secret data key (the API server holds both to one rule): letters, digits, '-', '_' and '.', but
    /// not "." or ".." nor starting with ".." (written without look-ahead, which the API server's RE2 lacks).
    /// </summary>
    public const string DataKey = "^\\.?[-_a-zA-Z0-9][-._a-zA-Z0-9]*$";

    public const string DataKeyReason = "must be a ConfigMap or Secret key: letters, digits, '-', '_' and '.', not '.' or '..' and not starting with '..'";

    /// <summary>The artifact URI schemes the inference pod can fetch from.</summary>
    public const string ArtifactUri = "^(file|https?|s3|gs|pvc)://.+";

    public const string ArtifactUriReason = "must be a URI with scheme file, http, https, s3, gs or pvc (e.g. s3://bucket/model.onnx)";

    /// <summary>
    /// The artifact URIs reached over TLS, which an artifact's caBundle applies to (a file or a claim has no server to
    /// trust). No reason pair: it is a CEL rule's, whose message says what is wrong.
    /// </summary>
    public const string TlsArtifactUri = "^(https|s3|gs)://";

    /// <summary>
    /// The artifact URIs of bucket stores, the ones an artifact's credentialsSecret applies to (the pod reads AWS and
    /// Google credentials from its environment only for these). No reason pair: a CEL rule's, like the one above.
    /// </summary>
    public const string ObjectStoreArtifactUri = "^(s3|gs)://";

    /// <summary>Extended resource name such as <c>nvidia.com/gpu</c>: a DNS subdomain prefix and a name.</summary>
    public const string ExtendedResourceName = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";

    public const string ExtendedResourceNameReason = "must be a resource name such as nvidia.com/gpu (DNS subdomain prefix, '/', name)";

    /// <summary>Names of model inputs: identifier-like, as ONNX graphs name them.</summary>
    public const string InputName = "^[A-Za-z_][A-Za-z0-9_.:/-]*$";

    public const string InputNameReason = "must be an ONNX input name (letters, digits, '_', '.', ':', '/', '-', not starting with a digit)";

    /// <summary>An http or https URL.</summary>
    public const string HttpUrl = "^https?://.+";

    public const string HttpUrlReason = "must be an http:// or https:// URL";
}
