using RecOperator.Kube.Client;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Whether the cluster serves gateway.networking.k8s.io/v1 HTTPRoutes: asked by listing them (a kind the API server
/// does not serve answers 404), remembered for a minute so installing the Gateway API CRDs later is noticed.
/// </summary>
public sealed class RoutingApiProbe(KubeApiClient client, TimeProvider? timeProvider = null)
{
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromMinutes(1);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private (bool Served, DateTimeOffset At)? _last;

    public async Task<bool> ServesHttpRoutesAsync(string ns, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_last is { } last && now - last.At < RecheckAfter)
        {
            return last.Served;
        }

        bool served;
        try
        {
            await client.Unstructured(RoutingBuilder.HttpRouteDescriptor).ListAsync(ns, new ListOptions { Limit = 1 }, cancellationToken).ConfigureAwait(false);
            served = true;
        }
        catch (KubeNotFoundException)
        {
            served = false;
        }

        _last = (served, now);
        return served;
    }
}
