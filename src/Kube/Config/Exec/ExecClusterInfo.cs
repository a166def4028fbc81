using System.Text.Json.Nodes;

namespace RecOperator.Kube.Config.Exec;

/// <summary>
/// The cluster as an exec plugin sees it when the kubeconfig sets <c>provideClusterInfo</c> (ExecCredential
/// <c>spec.cluster</c>); the CA is always passed as data, even when the kubeconfig names a file.
/// </summary>
public sealed record ExecClusterInfo
{
    /// <summary>The name of the cluster extension whose value is passed as <see cref="Config"/>.</summary>
    public const string ExtensionName = "client.authentication.k8s.io/exec";

    public required string Server { get; init; }

    public string? TlsServerName { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>PEM text of the cluster's CA certificates.</summary>
    public string? CertificateAuthorityPem { get; init; }

    public string? ProxyUrl { get; init; }

    public bool DisableCompression { get; init; }

    /// <summary>Per-cluster plugin settings (e.g. an audience) from the cluster's <see cref="ExtensionName"/> extension.</summary>
    public JsonNode? Config { get; init; }
}
