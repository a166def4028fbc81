using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using RecOperator.Kube.Config.Exec;

namespace RecOperator.Kube.Config;

/// <summary>Builds the socket handler that carries the config's TLS settings.</summary>
public static class KubeHttpHandlerFactory
{
    /// <summary>
    /// The handler a client sends through: the socket handler, or for an exec plugin over HTTPS one that presents
    /// whatever client certificate the plugin currently gives (a new socket handler each time it changes).
    /// </summary>
    public static HttpMessageHandler CreateForClient(KubeClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.ExecPlugin is { } plugin && config.Server.Scheme == Uri.UriSchemeHttps
            ? new ExecCertificateHandler(config, plugin)
            : Create(config);
    }

    public static SocketsHttpHandler Create(KubeClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var handler = new SocketsHttpHandler
        {
            // Watches are long-lived; pooled connections are recycled so DNS changes of the server are noticed.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = System.Net.DecompressionMethods.GZip,
        };

        if (config.Server.Scheme != Uri.UriSchemeHttps)
        {
            return handler;
        }

        var ssl = new SslClientAuthenticationOptions { TargetHost = config.TlsServerName };
        if (config.ClientCertificate is { } certificate)
        {
            ssl.ClientCertificates = [certificate];
        }

        if (config.InsecureSkipTlsVerify)
        {
            ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (config.CertificateAuthorities is { Count: > 0 } authorities)
        {
            ssl.RemoteCertificateValidationCallback = (_, cert, _, errors) => IsTrusted(cert, errors, authorities);
        }

        handler.SslOptions = ssl;
        return handler;
    }

    // Only the cluster's CA may vouch for the server: the chain is built against it alone, not the system store.
    private static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
