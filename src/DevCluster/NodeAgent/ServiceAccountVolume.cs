using System.Globalization;
using System.Text;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The kubelet's projected service-account volume (kube-api-access-*) for pods run as local processes. A pod whose
/// token is automounted gets token, ca.crt and namespace written into its own folder; with no mount namespace the
/// client finds them through <see cref="InClusterConfig.FolderVariable"/>, and KUBERNETES_SERVICE_HOST/PORT name the
/// API server as the `kubernetes` Service's variables do. The mount path in env or args is rewritten to the folder,
/// like every other volume here.
/// </summary>
/// <remarks>
/// DevCluster authenticates one bearer token and does not authorize, so the token is the node agent's own (the
/// cluster's); the pod's ServiceAccount must exist, as the TokenRequest the real kubelet makes needs it.
/// </remarks>
public static class ServiceAccountVolume
{
    public const string MountPath = InClusterConfig.DefaultFolder;

    /// <summary>The folder beside the pod's logs that stands in for <see cref="MountPath"/>.</summary>
    public static string FolderOf(string podDirectory) => Path.Combine(podDirectory, "serviceaccount");

    /// <summary>
    /// Whether the kubelet mounts a token: the pod names a ServiceAccount (here only pods that do, since nothing
    /// creates the `default` accounts) and neither the pod nor, when the pod leaves it unset, the ServiceAccount
    /// turns automountServiceAccountToken off.
    /// </summary>
    public static bool Automounts(V1Pod pod, V1ServiceAccount? account)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return AccountName(pod) is not null && (pod.Spec?.AutomountServiceAccountToken ?? account?.AutomountServiceAccountToken ?? true);
    }

    public static string? AccountName(V1Pod pod) =>
        pod.Spec?.ServiceAccountName is { Length: > 0 } name ? name : pod.Spec?.ServiceAccount is { Length: > 0 } alias ? alias : null;

    /// <summary>The variables a container of such a pod gets: the API server (host and port) and the folder.</summary>
    public static IReadOnlyDictionary<string, string> Environment(Uri server, string folder)
    {
        ArgumentNullException.ThrowIfNull(server);
        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["KUBERNETES_SERVICE_HOST"] = server.Host.Trim('[', ']'),
            ["KUBERNETES_SERVICE_PORT"] = port,
            ["KUBERNETES_SERVICE_PORT_HTTPS"] = port,
            [InClusterConfig.FolderVariable] = folder,
        };
    }

    /// <summary>
    /// Looks the pod's ServiceAccount up and writes the volume: null when nothing is mounted; a mount with an
    /// <see cref="ServiceAccountMount.Error"/> when the pod cannot get one here. A missing ServiceAccount throws
    /// <see cref="KubeNotFoundException"/>: the kubelet tries again on its next pass, as the real one retries the mount.
    /// </summary>
    public static async Task<ServiceAccountMount?> MountAsync(KubeApiClient api, V1Pod pod, string podDirectory, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(pod);
        if (AccountName(pod) is not { } name || pod.Spec?.AutomountServiceAccountToken == false)
        {
            return null;
        }
        var account = await api.For<V1ServiceAccount>().GetAsync(name, pod.Metadata?.Namespace, ct).ConfigureAwait(false);
        if (!Automounts(pod, account))
        {
            return null;
        }
        var config = api.Config;
        var token = config.Server.Scheme == Uri.UriSchemeHttps && config.Token is { } source ? await source.GetTokenAsync(ct).ConfigureAwait(false) : null;
        if (token is not { Length: > 0 })
        {
            return ServiceAccountMount.Failed($"volume kube-api-access: the in-cluster config needs the HTTPS API server with token authentication (devcluster up without --insecure-http); this one is {config.Server}");
        }
        var folder = FolderOf(podDirectory);
        Directory.CreateDirectory(folder);
        await WriteAsync(Path.Combine(folder, "token"), token, ct).ConfigureAwait(false);
        await WriteAsync(Path.Combine(folder, "namespace"), pod.Metadata?.Namespace ?? "default", ct).ConfigureAwait(false);
        if (config.CertificateAuthorities is { Count: > 0 } authorities)
        {
            var pem = new StringBuilder();
            foreach (var certificate in authorities)
            {
                pem.AppendLine(certificate.ExportCertificatePem());
            }
            await WriteAsync(Path.Combine(folder, "ca.crt"), pem.ToString(), ct).ConfigureAwait(false);
        }
        return new ServiceAccountMount(folder, Environment(config.Server, folder));
    }

    // Written to a temporary name and renamed, as the kubelet swaps projected files atomically; readable by the owner only.
    private static async Task WriteAsync(string path, string content, CancellationToken ct)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content, ct).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
