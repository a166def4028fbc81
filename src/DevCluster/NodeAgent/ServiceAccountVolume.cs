using System.Globalization;
using System.Text;
using RecOperator.Kube;
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
/// The token is the pod's own, as the kubelet's: a TokenRequest for the pod's ServiceAccount bound to the pod (POST
/// serviceaccounts/NAME/token with the kubelet's 3607 seconds, which the API server extends to a year for a pod-bound
/// token), so the pod's requests are authorized by the RBAC bound to its ServiceAccount and stop authenticating once the
/// pod is gone. The ServiceAccount must exist, as the TokenRequest needs it. The token is not rotated.
/// </remarks>
public static class ServiceAccountVolume
{
    /// <summary>What the kubelet asks for (an hour and 7 s): the API server extends exactly this ask to a year for a pod-bound token.</summary>
    private const long KubeletTokenSeconds = 3607;

    public const string MountPath = InClusterConfig.DefaultFolder;

    /// <summary>The folder beside the pod's logs that stands in for <see cref="MountPath"/>.</summary>
    public static string FolderOf(string podDirectory) => Path.Combine(podDirectory, "serviceaccount");

    /// <summary>
    /// Whether the kubelet mounts a token: the pod names a ServiceAccount (every pod the API server admitted does: its
    /// ServiceAccount admission defaults it to `default`) and neither the pod nor, when the pod leaves it unset, the ServiceAccount
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
    /// Looks the pod's ServiceAccount up and writes the volume: null when nothing is mounted (also on a plain-HTTP
    /// server, where in-cluster config cannot connect). A missing ServiceAccount throws
    /// <see cref="KubeNotFoundException"/>: the kubelet tries again on its next pass, as the real one retries the mount.
    /// </summary>
    public static async Task<ServiceAccountMount?> MountAsync(KubeApiClient api, V1Pod pod, string podDirectory, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(pod);
        var config = api.Config;
        // A plain-HTTP server (--insecure-http) has no CA and no token authentication, so in-cluster config cannot work
        // against it; as every pod names an account (the admission plugin defaults it), nothing is mounted there.
        if (AccountName(pod) is not { } name || pod.Spec?.AutomountServiceAccountToken == false || config.Server.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }
        var account = await api.For<V1ServiceAccount>().GetAsync(name, pod.Metadata?.Namespace, ct).ConfigureAwait(false);
        if (!Automounts(pod, account))
        {
            return null;
        }
        var token = await RequestTokenAsync(api, pod, name, ct).ConfigureAwait(false);
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

    /// <summary>The kubelet's TokenRequest for a pod: its account, bound to the pod (name and uid), for 3607 seconds.</summary>
    private static async Task<string> RequestTokenAsync(KubeApiClient api, V1Pod pod, string account, CancellationToken ct)
    {
        var request = new V1TokenRequest
        {
            Spec = new V1TokenRequestSpec
            {
                ExpirationSeconds = KubeletTokenSeconds,
                BoundObjectRef = new V1BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = pod.Metadata?.Name, Uid = pod.Metadata?.Uid },
            },
        };
        var issued = await api.For<V1ServiceAccount>().CreateSubresourceAsync(account, "token", request, KubeJsonContext.Default.V1TokenRequest,
            KubeJsonContext.Default.V1TokenRequest, pod.Metadata?.Namespace, ct).ConfigureAwait(false);
        return issued.Status?.Token is { Length: > 0 } token ? token : throw new KubeApiException($"the TokenRequest for serviceaccount {account} answered no token");
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
