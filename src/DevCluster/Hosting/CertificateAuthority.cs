using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RecOperator.DevCluster.Hosting;

/// <summary>
/// A self-made CA (kept in the data directory so kubeconfigs stay valid across restarts) and a serving
/// certificate for 127.0.0.1 and localhost signed by it, made fresh at each start.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _ca;

    private CertificateAuthority(X509Certificate2 ca) => _ca = ca;

    public const string CertificateFileName = "ca.crt";

    public string CaPem => _ca.ExportCertificatePem();

    public static CertificateAuthority LoadOrCreate(string? directory)
    {
        var certPath = directory is null ? null : Path.Combine(directory, CertificateFileName);
        var keyPath = directory is null ? null : Path.Combine(directory, "ca.key");
        if (certPath is not null && File.Exists(certPath) && File.Exists(keyPath))
        {
            return new CertificateAuthority(X509Certificate2.CreateFromPemFile(certPath, keyPath));
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=recop-devcluster-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
        if (certPath is not null && keyPath is not null)
        {
            File.WriteAllText(certPath, ca.ExportCertificatePem());
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            PrivateFile.Restrict(keyPath);
        }
        return new CertificateAuthority(ca);
    }

    /// <summary>A serving certificate with the private key attached, ready for Kestrel.</summary>
    public X509Certificate2 IssueServingCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=recop-devcluster", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        using var issued = request.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux needs an exportable key: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose() => _ca.Dispose();
}
