using System.Collections.Concurrent;
using RecOperator.Kube.Client;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Whether the cluster serves a Gateway API route kind (HTTPRoute, GRPCRoute), remembered per kind for a minute so
/// installing the Gateway API CRDs later is noticed. Asked by listing at most one route in the model's namespace (404: not served)
/// rather than by discovery (GET /apis/gateway.networking.k8s.io/v1, looking for httproutes), on purpose:
/// <list type="bullet">
/// <item>the list is the call the route sync makes next (to prune), with the same verb, RBAC grant and namespace, so
/// "served" here means "usable by this operator here"; discovery would say served while the list could still fail;</item>
/// <item>it needs no grant beyond the one the sync needs (httproutes: list), and no discovery call in the Kube client,
/// which offers typed resource calls only;</item>
/// <item>it costs one small request per minute per reconciler, like a discovery GET (limit=1, one namespace).</item>
/// </list>
/// Any other failure (403, 5xx) is not taken as "not installed": it fails the reconcile, which is retried with backoff,
/// so a transient error never flips the weights from the HTTPRoute back to the ConfigMap.
/// </summary>
public sealed class RoutingApiProbe(KubeApiClient client, TimeProvider? timeProvider = null)
{
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromMinutes(1);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    // Reconciles of different models may probe at once.
    private readonly ConcurrentDictionary<string, (bool Served, DateTimeOffset At)> _last = new(StringComparer.Ordinal);

    public async Task<bool> ServesAsync(Kube.ResourceDescriptor kind, string ns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var now = _time.GetUtcNow();
        if (_last.TryGetValue(kind.Plural, out var last) && now - last.At < RecheckAfter)
        {
            return last.Served;
        }

        bool served;
        try
        {
            await client.Unstructured(kind).ListAsync(ns, new ListOptions { Limit = 1 }, cancellationToken).ConfigureAwait(false);
            served = true;
        }
        catch (KubeNotFoundException)
        {
            served = false;
        }

        _last[kind.Plural] = (served, now);
        return served;
    }
}
