using System.Security.Cryptography.X509Certificates;
using RecOperator.Kube.Config.Exec;

namespace RecOperator.Kube.Config;

/// <summary>Where the API server is and how to authenticate to it; built from a kubeconfig or in-cluster files.</summary>
public sealed record KubeClientConfig
{
    /// <summary>The API server's base URL, e.g. <c>https://10.0.0.1:6443</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>The namespace used when a call names none.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Bearer token source; null when the client authenticates by certificate or not at all.</summary>
    public ITokenSource? Token { get; init; }

    /// <summary>Client certificate with its private key, for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// The kubeconfig user's exec credential plugin. Its token reaches requests through <see cref="Token"/> (an
    /// <see cref="ExecTokenSource"/>), its client certificate through <see cref="KubeHttpHandlerFactory.CreateForClient"/>;
    /// the client asks it for a new credential when the API server answers 401.
    /// </summary>
    public ExecCredentialPlugin? ExecPlugin { get; init; }

    /// <summary>The CAs that may sign the server's certificate; null trusts the system store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    /// <summary>Skips server certificate verification (kubeconfig insecure-skip-tls-verify). For development only.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Overrides the name checked against the server certificate (kubeconfig tls-server-name).</summary>
    public string? TlsServerName { get; init; }

    /// <summary>A config for a plain-HTTP server such as a local test server.</summary>
    public static KubeClientConfig ForServer(Uri server, string? token = null) =>
        new() { Server = server, Token = token is null ? null : new StaticTokenSource(token) };
}
