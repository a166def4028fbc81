using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Networking;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Monitoring;

/// <summary>
/// Prometheus service discovery for DevCluster's pods, in the HTTP SD format (a list of target groups). The Debian
/// build of Prometheus leaves out Kubernetes discovery, so DevCluster serves its pods itself, with the meta labels
/// <c>kubernetes_sd_configs</c> role <c>pod</c> gives (one target per declared container port), so that the
/// relabelling of a PodMonitor works unchanged. One difference: the address is where the port really is on this
/// machine (the node agent's host-ports annotation), since every pod shares 127.0.0.1; the declared port stays in
/// <c>__meta_kubernetes_pod_container_port_number</c>. No I/O.
/// </summary>
public static class PrometheusPodTargets
{
    /// <summary>Where the API server serves the target groups (authenticated like every other request).</summary>
    public const string Path = "/devcluster/prometheus/pods";

    private const string Meta = "__meta_kubernetes_";

    public static JsonArray From(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var groups = new JsonArray();
        foreach (var pod in pods.Where(PodReadiness.IsListed).OrderBy(p => p.Metadata?.Namespace, StringComparer.Ordinal).ThenBy(p => p.Metadata?.Name, StringComparer.Ordinal))
        {
            var podLabels = PodLabels(pod);
            var hostPorts = HostPortMap.Parse(pod.Metadata?.Annotations);
            foreach (var container in pod.Spec?.Containers ?? [])
            {
                foreach (var port in container.Ports ?? [])
                {
                    var labels = new JsonObject();
                    foreach (var (name, value) in podLabels)
                    {
                        labels[name] = value;
                    }
                    labels[Meta + "pod_container_name"] = container.Name;
                    labels[Meta + "pod_container_image"] = container.Image ?? "";
                    labels[Meta + "pod_container_init"] = "false";
                    labels[Meta + "pod_container_port_name"] = port.Name ?? "";
                    labels[Meta + "pod_container_port_number"] = port.ContainerPort.ToString(CultureInfo.InvariantCulture);
                    labels[Meta + "pod_container_port_protocol"] = port.Protocol ?? "TCP";
                    var hostPort = hostPorts.TryGetValue(port.ContainerPort, out var mapped) ? mapped : port.ContainerPort;
                    groups.Add(new JsonObject
                    {
                        ["targets"] = new JsonArray($"{pod.Status!.PodIP}:{hostPort.ToString(CultureInfo.InvariantCulture)}"),
                        ["labels"] = labels,
                    });
                }
            }
        }
        return groups;
    }

    /// <summary>The labels every target of the pod carries, as Prometheus' pod role names them.</summary>
    private static List<(string Name, string Value)> PodLabels(V1Pod pod)
    {
        var metadata = pod.Metadata;
        var labels = new List<(string, string)>
        {
            (Meta + "namespace", metadata?.Namespace ?? ""),
            (Meta + "pod_name", metadata?.Name ?? ""),
            (Meta + "pod_uid", metadata?.Uid ?? ""),
            (Meta + "pod_ip", pod.Status?.PodIP ?? ""),
            (Meta + "pod_node_name", pod.Spec?.NodeName ?? ""),
            (Meta + "pod_host_ip", pod.Status?.HostIP ?? ""),
            (Meta + "pod_phase", pod.Status?.Phase ?? ""),
            (Meta + "pod_ready", PodView.IsReady(pod) ? "true" : "false"),
        };
        foreach (var (key, value) in metadata?.Labels ?? new Dictionary<string, string>())
        {
            labels.Add((Meta + "pod_label_" + Sanitize(key), value));
            labels.Add((Meta + "pod_labelpresent_" + Sanitize(key), "true"));
        }
        foreach (var (key, value) in metadata?.Annotations ?? new Dictionary<string, string>())
        {
            labels.Add((Meta + "pod_annotation_" + Sanitize(key), value));
            labels.Add((Meta + "pod_annotationpresent_" + Sanitize(key), "true"));
        }
        if (metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is { } controller)
        {
            labels.Add((Meta + "pod_controller_kind", controller.Kind ?? ""));
            labels.Add((Meta + "pod_controller_name", controller.Name ?? ""));
        }
        return labels;
    }

    /// <summary>Prometheus label names allow [a-zA-Z0-9_]; anything else becomes an underscore, as Prometheus does.</summary>
    public static string Sanitize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return builder.ToString();
    }
}
