using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RecOperator.Kube.Config;

/// <summary>
/// The config of a pod: the API server from KUBERNETES_SERVICE_HOST/PORT, the service-account token (re-read
/// on rotation), its CA and namespace from the mounted service-account folder: <see cref="DefaultFolder"/>, or the
/// folder named by <see cref="FolderVariable"/> where pods run as local processes without a mount namespace (the
/// DevCluster node agent writes the files into the pod's own folder and sets the variable).
/// </summary>
public static class InClusterConfig
{
    public const string DefaultFolder = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>Environment variable that moves the service-account folder away from <see cref="DefaultFolder"/>.</summary>
    public const string FolderVariable = "RECOP_SERVICE_ACCOUNT_DIR";

    /// <param name="folder">The service-account folder; null: <see cref="FolderVariable"/>, else <see cref="DefaultFolder"/>.</param>
    public static bool IsAvailable(string? folder = null) =>
        Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 }
        && File.Exists(Path.Combine(folder ?? FolderOf(Environment.GetEnvironmentVariable), "token"));

    /// <param name="folder">The service-account folder; null: <see cref="FolderVariable"/>, else <see cref="DefaultFolder"/>.</param>
    /// <param name="environment">Reads an environment variable; tests pass their own.</param>
    public static KubeClientConfig Load(string? folder = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        folder ??= FolderOf(environment);
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

    private static string FolderOf(Func<string, string?> environment) =>
        environment(FolderVariable) is { Length: > 0 } overridden ? overridden : DefaultFolder;

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
