using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// The HTTP client artifacts are downloaded with. https servers are trusted as any .NET program on Linux trusts them
/// (the system bundle, which SSL_CERT_FILE / SSL_CERT_DIR replace), plus the CA certificates of an optional PEM file:
/// the way a cluster's private artifact store is usually trusted, by mounting its CA from a ConfigMap or Secret.
/// </summary>
public static class ArtifactHttpClient
{
    /// <param name="caFile">PEM file of CA certificates trusted besides the system's; empty for none.</param>
    public static HttpClient Create(string caFile, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler();
        if (caFile.Length > 0)
        {
            var authorities = LoadAuthorities(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                TrustedBySystemOrAuthorities(certificate, chain, errors, authorities);
        }
        return new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
    }

    /// <summary>The certificates of a PEM file; a missing file or one without certificates is a clear start-up error.</summary>
    public static X509Certificate2Collection LoadAuthorities(string caFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caFile);
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caFile);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ArtifactException($"--artifact-ca (RECPOD_ARTIFACT_CA) '{caFile}' cannot be read as PEM certificates: {error.Message}", error);
        }
        return authorities.Count > 0
            ? authorities
            : throw new ArtifactException($"--artifact-ca (RECPOD_ARTIFACT_CA) '{caFile}' holds no PEM certificate");
    }

    private static bool TrustedBySystemOrAuthorities(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors,
        X509Certificate2Collection authorities)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        // A name mismatch or a missing certificate is never excused: the extra authorities only widen whom the chain may end at.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
