using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RecOperator.InferencePod.Tests;

/// <summary>Certificates for an https server on 127.0.0.1 that no system trusts: a private CA's, or a self-signed one.</summary>
internal static class TestCertificates
{
    /// <summary>The certificate a client must trust (written as PEM) and the server's own, with its key.</summary>
    public static (X509Certificate2 Trusted, X509Certificate2 Server) Create(bool selfSigned)
    {
        var now = DateTimeOffset.UtcNow;
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        if (selfSigned)
        {
            using var self = serverRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
            return (X509CertificateLoader.LoadCertificate(self.RawData), Reloaded(self));
        }
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=recpod test CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var authority = authorityRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
        using var issued = serverRequest.Create(authority, now.AddHours(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(serverKey);
        return (X509CertificateLoader.LoadCertificate(authority.RawData), Reloaded(withKey));
    }

    public static string WritePem(X509Certificate2 certificate)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("recpod-ca-").FullName, "ca.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    // Through PKCS#12, so the server's key is a persisted one that TLS can use on every platform.
    private static X509Certificate2 Reloaded(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
