using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Runs one probe of a running container by its spec (initialDelaySeconds, periodSeconds, timeoutSeconds,
/// successThreshold, failureThreshold, with the kubelet's defaults) and reports each flip of its verdict.
/// </summary>
public sealed class ProbeLoop
{
    private readonly V1Probe _probe;
    private readonly V1Container _container;
    private readonly IReadOnlyDictionary<int, int> _hostPorts;
    private readonly IReadOnlyDictionary<string, string> _env;
    private readonly TimeProvider _time;
    private readonly Action? _failed;

    /// <param name="failed">Told of every failed check, as the kubelet records an Unhealthy Event for each.</param>
    public ProbeLoop(V1Probe probe, V1Container container, IReadOnlyDictionary<int, int> hostPorts, IReadOnlyDictionary<string, string> env, TimeProvider time, Action? failed = null) =>
        (_probe, _container, _hostPorts, _env, _time, _failed) = (probe, container, hostPorts, env, time, failed);

    /// <summary>Probes until cancelled; <paramref name="verdict"/> gets true or false whenever a threshold is crossed.</summary>
    public async Task RunAsync(Func<bool, Task> verdict, CancellationToken ct)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, _probe.PeriodSeconds ?? 10));
        var successThreshold = Math.Max(1, _probe.SuccessThreshold ?? 1);
        var failureThreshold = Math.Max(1, _probe.FailureThreshold ?? 3);
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, _probe.InitialDelaySeconds ?? 0)), _time, ct).ConfigureAwait(false);
        var (successes, failures) = (0, 0);
        bool? state = null;
        while (!ct.IsCancellationRequested)
        {
            var ok = await CheckOnceAsync(ct).ConfigureAwait(false);
            (successes, failures) = ok ? (successes + 1, 0) : (0, failures + 1);
            if (!ok)
            {
                _failed?.Invoke();
            }
            bool? next = successes >= successThreshold ? true : failures >= failureThreshold ? false : state;
            if (next is { } flip && flip != state)
            {
                state = flip;
                await verdict(flip).ConfigureAwait(false);
            }
            await Task.Delay(period, _time, ct).ConfigureAwait(false);
        }
    }

    private async Task<bool> CheckOnceAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, _probe.TimeoutSeconds ?? 1)));
        try
        {
            return _probe switch
            {
                { HttpGet: { } http } => HostPort(http.Port) is { } port && await ProbeChecker.HttpGetAsync(port, http.Path, timeout.Token).ConfigureAwait(false),
                { TcpSocket: { } tcp } => HostPort(tcp.Port) is { } port && await ProbeChecker.TcpAsync(port, timeout.Token).ConfigureAwait(false),
                { Grpc: { } grpc } => HostPort(grpc.Port) is { } port && await ProbeChecker.GrpcHealthAsync(port, grpc.Service, timeout.Token).ConfigureAwait(false),
                { Exec: { } exec } => await ProbeChecker.ExecAsync([.. exec.Command ?? []], _env, timeout.Token).ConfigureAwait(false),
                _ => true,
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>A probe names the container's port (by number or name); the process listens on its host port.</summary>
    private int? HostPort(IntOrString port)
    {
        var containerPort = port.IntValue ?? _container.Ports?.FirstOrDefault(p => p.Name == port.StringValue)?.ContainerPort;
        return containerPort is { } p && _hostPorts.TryGetValue(p, out var host) ? host : null;
    }
}
