using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RecOperator.Kube.Config;

/// <summary>
/// The config of a pod: the API server from KUBERNETES_SERVICE_HOST/PORT, the service-account token (re-read
/// on rotation), its CA and namespace from the mounted service-account folder.
/// </summary>
public static class InClusterConfig
{
    public const string DefaultFolder = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static bool IsAvailable(string folder = DefaultFolder) =>
        Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 } && File.Exists(Path.Combine(folder, "token"));

    /// <param name="folder">The service-account folder.</param>
    /// <param name="environment">Reads an environment variable; tests pass their own.</param>
    public static KubeClientConfig Load(string folder = DefaultFolder, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = environment("KUBERNETES_SERVICE_HOST") is { Length: > 0 } h
            ? h : throw new KubeConfigException("(environment)", "KUBERNETES_SERVICE_HOST", "is not set: not running in a pod");
        var port = environment("KUBERNETES_SERVICE_PORT") is { Length: > 0 } p
            ? p : throw new KubeConfigException("(environment)", "KUBERNETES_SERVICE_PORT", "is not set");
        if (!ushort.TryParse(port, out _))
        {
            throw new KubeConfigException("(environment)", "KUBERNETES_SERVICE_PORT", $"'{port}' is not a port number");
        }

        var tokenPath = Path.Combine(folder, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubeConfigException(tokenPath, "token", "the service-account token file does not exist");
        }

        // IPv6 service addresses need brackets in a URL.
        var hostPart = System.Net.IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        var namespacePath = Path.Combine(folder, "namespace");
        return new KubeClientConfig
        {
            Server = new Uri($"https://{hostPart}:{port}"),
            Token = new FileTokenSource(tokenPath),
            CertificateAuthorities = ReadAuthorities(Path.Combine(folder, "ca.crt")),
            Namespace = File.Exists(namespacePath) && File.ReadAllText(namespacePath).Trim() is { Length: > 0 } ns ? ns : "default",
        };
    }

    private static X509Certificate2Collection? ReadAuthorities(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException(path, "ca.crt", "is not a PEM certificate: " + e.Message);
        }

        return collection;
    }
}
