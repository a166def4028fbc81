using System.Net;
using Microsoft.Extensions.Logging;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;

namespace RecOperator.Demo.Tests.Resilience;

/// <summary>
/// One operator instance as `recop operator` and the demo compose it (reconcilers, the autoscaler on direct scraping
/// or a cluster Prometheus, no leader election), with its own client, informers, metrics and plan book: a fresh one shares nothing with the
/// previous one, as a restarted process would not.
/// </summary>
internal sealed class InProcessOperator : IAsyncDisposable
{
    private readonly KubeApiClient _client;
    private readonly OperatorMetrics _metrics;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private InProcessOperator(KubeApiClient client, OperatorMetrics metrics, OperatorHost host)
    {
        _client = client;
        _metrics = metrics;
        _run = host.RunAsync(_stop.Token);
    }

    /// <param name="prometheusUrl">The cluster Prometheus (`--metrics-source=prometheus --prometheus-url`); null scrapes directly.</param>
    public static InProcessOperator Start(string kubeconfigPath, string identity, ILoggerFactory loggers, string? prometheusUrl = null)
    {
        var client = new KubeApiClient(KubeConfigLoader.Load(kubeconfigPath), new KubeApiClientOptions { AdditionalTypes = CrdsJsonContext.Default, LoggerFactory = loggers });
        var metrics = new OperatorMetrics();
        var options = new RecOperatorOptions { Identity = identity, Host = new OperatorHostOptions { HealthEndpoint = new IPEndPoint(IPAddress.Loopback, 0) } };
        var host = RecOperatorApp.Build(client, options, loggers, metrics, new FleetPlanBook(),
            c => AutoscalerRegistration.Add(c, new AutoscalerOptions { ReportingInstance = identity, ClusterPrometheusUrl = prometheusUrl }));
        return new InProcessOperator(client, metrics, host);
    }

    /// <summary>Stops the instance the way a SIGTERM to `recop operator` does: its host's token is cancelled and it winds down.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        _stop.Dispose();
        _metrics.Dispose();
        _client.Dispose();
    }
}
