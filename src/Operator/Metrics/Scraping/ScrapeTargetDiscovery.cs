using RecOperator.Crds;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Metrics.Scraping;

/// <summary>
/// Finds a model's scrape targets the way Prometheus' Endpoints discovery does: the ready addresses of each variant
/// Service's Endpoints, their HTTP port, and the variant and pool from the labels of the pod the address points at.
/// Pure: the caller passes lookups (informer caches in the operator).
/// </summary>
public static class ScrapeTargetDiscovery
{
    public static IReadOnlyList<ScrapeTarget> Discover(RecModel model, Func<ObjectKey, V1Endpoints?> endpoints, Func<ObjectKey, V1Pod?> pods)
    {
        ArgumentNullException.ThrowIfNull(model);
        var modelKey = ObjectKey.Of(model);
        var targets = new List<ScrapeTarget>();
        foreach (var variant in model.Spec.Variants)
        {
            var service = new ObjectKey(modelKey.Namespace, ChildNames.VariantService(modelKey.Name, variant.Name));
            foreach (var subset in endpoints(service)?.Subsets ?? [])
            {
                if (HttpPort(subset) is not { } port)
                {
                    continue;
                }

                // Only ready addresses: a pod that is not ready serves no traffic, and Prometheus' rule is the same.
                foreach (var address in subset.Addresses ?? [])
                {
                    if (Target(modelKey, address, port, pods) is { } target && target.Variant == variant.Name)
                    {
                        targets.Add(target);
                    }
                }
            }
        }

        return targets;
    }

    private static int? HttpPort(V1EndpointSubset subset)
    {
        var ports = subset.Ports ?? [];
        var named = ports.FirstOrDefault(p => p.Name == PodPorts.HttpName);
        return named?.Port ?? (ports.Count == 1 ? ports[0].Port : null);
    }

    private static ScrapeTarget? Target(ObjectKey model, V1EndpointAddress address, int port, Func<ObjectKey, V1Pod?> pods)
    {
        if (address.TargetRef is not { Kind: "Pod", Name: { } podName } reference)
        {
            return null;
        }

        var podKey = new ObjectKey(reference.Namespace ?? model.Namespace, podName);
        var labels = pods(podKey)?.Metadata?.Labels;
        if (labels is null || !labels.TryGetValue(ChildLabels.Variant, out var variant) || !labels.TryGetValue(ChildLabels.Pool, out var pool))
        {
            return null;
        }

        var uri = new UriBuilder(Uri.UriSchemeHttp, address.Ip, port, "/metrics").Uri;
        return new ScrapeTarget(model, podKey, variant, pool, uri);
    }
}
