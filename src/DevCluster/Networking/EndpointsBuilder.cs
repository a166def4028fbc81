using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// The desired Endpoints of a Service, from the Service and the pods of its namespace; no I/O. Ports are host
/// ports: targetPort (a number, or a name looked up in the pod's container ports) resolved to a containerPort,
/// then through the pod's host-ports annotation. Pods whose port sets differ land in different subsets.
/// </summary>
public static class EndpointsBuilder
{
    /// <summary>Null when the Service has no selector: such Endpoints are written by hand and left alone.</summary>
    public static V1Endpoints? Build(V1Service service, IEnumerable<V1Pod> pods)
    {
        var spec = service.Spec;
        if (spec?.Selector is not { Count: > 0 } selector)
        {
            return null;
        }

        var publishNotReady = spec.PublishNotReadyAddresses == true;
        var subsets = new Dictionary<string, (List<V1EndpointPort> Ports, List<V1EndpointAddress> Ready, List<V1EndpointAddress> NotReady)>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => PodReadiness.Selects(selector, p.Metadata?.Labels) && PodReadiness.IsListed(p)))
        {
            var ports = ResolvePorts(spec.Ports ?? [], pod);
            if (ports.Count == 0)
            {
                continue;
            }

            var key = string.Join(';', ports.Select(p => $"{p.Name}/{p.Port}/{p.Protocol}"));
            if (!subsets.TryGetValue(key, out var subset))
            {
                subset = (ports, [], []);
                subsets[key] = subset;
            }

            (publishNotReady || PodView.IsReady(pod) ? subset.Ready : subset.NotReady).Add(AddressOf(pod));
        }

        return new V1Endpoints
        {
            Metadata = new V1ObjectMeta
            {
                Name = service.Metadata?.Name,
                Namespace = service.Metadata?.Namespace,
                Labels = LabelsFor(service),
            },
            Subsets = subsets.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new V1EndpointSubset
            {
                Ports = s.Value.Ports,
                Addresses = s.Value.Ready.Count == 0 ? null : Sorted(s.Value.Ready),
                NotReadyAddresses = s.Value.NotReady.Count == 0 ? null : Sorted(s.Value.NotReady),
            }).ToList(),
        };
    }

    /// <summary>The Service's labels (as Kubernetes copies them) plus the managed-by mark.</summary>
    public static IDictionary<string, string> LabelsFor(V1Service service)
    {
        var labels = new SortedDictionary<string, string>(service.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [NetworkingNames.ManagedByLabel] = NetworkingNames.EndpointsControllerName,
        };
        return new Dictionary<string, string>(labels, StringComparer.Ordinal);
    }

    /// <summary>One endpoint port per Service port this pod can serve; a named targetPort the pod lacks is skipped.</summary>
    private static List<V1EndpointPort> ResolvePorts(IList<V1ServicePort> servicePorts, V1Pod pod)
    {
        var hostPorts = HostPortMap.Parse(pod.Metadata?.Annotations);
        var result = new List<V1EndpointPort>();
        foreach (var servicePort in servicePorts)
        {
            var containerPort = ContainerPortOf(servicePort, pod);
            if (containerPort is not { } port)
            {
                continue;
            }

            result.Add(new V1EndpointPort
            {
                Name = servicePort.Name,
                Port = hostPorts.TryGetValue(port, out var hostPort) ? hostPort : port,
                Protocol = servicePort.Protocol ?? "TCP",
                AppProtocol = servicePort.AppProtocol,
            });
        }

        return result;
    }

    private static int? ContainerPortOf(V1ServicePort servicePort, V1Pod pod)
    {
        var target = servicePort.TargetPort;
        if (target is null || target.Value.IsInt)
        {
            return target?.IntValue ?? servicePort.Port;
        }

        if (int.TryParse(target.Value.StringValue, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric))
        {
            return numeric;
        }

        var named = pod.Spec?.Containers?
            .SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => p.Name == target.Value.StringValue && (p.Protocol ?? "TCP") == (servicePort.Protocol ?? "TCP"));
        return named?.ContainerPort;
    }

    private static V1EndpointAddress AddressOf(V1Pod pod) => new()
    {
        Ip = pod.Status!.PodIP!,
        NodeName = pod.Spec?.NodeName,
        TargetRef = new V1ObjectReference
        {
            Kind = "Pod",
            Namespace = pod.Metadata?.Namespace,
            Name = pod.Metadata?.Name,
            Uid = pod.Metadata?.Uid,
        },
    };

    private static List<V1EndpointAddress> Sorted(List<V1EndpointAddress> addresses) =>
        addresses.OrderBy(a => a.Ip, StringComparer.Ordinal).ThenBy(a => a.TargetRef?.Name, StringComparer.Ordinal).ToList();
}
