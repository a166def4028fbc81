using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RecOperator.Kube.Client;
using RecOperator.Kube.Leadership;

namespace RecOperator.Operator.Runtime;

/// <summary>
/// Runs an operator: informers always (a follower keeps a warm cache for a fast hand-over), controllers only
/// while this instance holds the leader Lease, and the /healthz, /readyz and /metrics endpoints. Losing the
/// lease ends <see cref="RunAsync"/> so the process restarts clean, as controller-runtime managers do.
/// </summary>
public sealed partial class OperatorHost
{
    private readonly KubeApiClient _client;
    private readonly SharedInformerFactory _informers;
    private readonly IReadOnlyList<Controller> _controllers;
    private readonly IReadOnlyList<Func<CancellationToken, Task>> _loops;
    private readonly OperatorMetrics _metrics;
    private readonly OperatorHostOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<Uri> _healthAddress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OperatorHost(
        KubeApiClient client, SharedInformerFactory informers, IReadOnlyList<Controller> controllers,
        OperatorMetrics metrics, OperatorHostOptions options, ILoggerFactory loggers, IReadOnlyList<Func<CancellationToken, Task>>? loops = null)
    {
        (_client, _informers, _controllers, _metrics, _options, _loggers) = (client, informers, controllers, metrics, options, loggers);
        _loops = loops ?? [];
        _logger = loggers.CreateLogger<OperatorHost>();
    }

    /// <summary>The health server's address, once it listens.</summary>
    public Task<Uri> HealthAddress => _healthAddress.Task;

    public bool IsLeader { get; private set; }

    /// <summary>Ready when every informer has synced and can reach the API server.</summary>
    public (bool Ready, string Detail) Readiness()
    {
        var waiting = _informers.Informers.Where(i => !i.HasSynced || !i.IsConnected)
            .Select(i => $"{i.Kind}: {(i.IsConnected ? "not synced" : "API server unreachable")}").ToList();
        return waiting.Count == 0 ? (true, "ok") : (false, string.Join("; ", waiting));
    }

    /// <summary>Runs until cancelled or until leadership is lost.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var health = await StartHealthServerAsync(stop.Token).ConfigureAwait(false);
        var informers = _informers.RunAsync(stop.Token);
        // Loops (the autoscaler) run leader or not, like the informers, so a follower that takes over is warm.
        var loops = Task.WhenAll(_loops.Select(loop => loop(stop.Token)));
        if (_options.LeaderElection is { } election)
        {
            var elector = new LeaderElector(_client, election, _loggers.CreateLogger<LeaderElector>());
            await elector.RunAsync(
                async leading =>
                {
                    IsLeader = true;
                    await RunControllersAsync(leading).ConfigureAwait(false);
                    IsLeader = false;
                    if (!stop.IsCancellationRequested)
                    {
                        LogLeadershipLost(_logger);
                        await stop.CancelAsync().ConfigureAwait(false);
                    }
                },
                stop.Token).ConfigureAwait(false);
        }
        else
        {
            IsLeader = true;
            await RunControllersAsync(stop.Token).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await informers.ConfigureAwait(false);
        await loops.ConfigureAwait(false);
        await health.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    // Until cancelled, even with no controllers: the informers and health endpoints must keep running.
    private Task RunControllersAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_controllers.Select(c => c.RunAsync(cancellationToken)).Append(UntilCancelledAsync(cancellationToken)));

    private static async Task UntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The normal way out.
        }
    }

    private async Task<WebApplication> StartHealthServerAsync(CancellationToken cancellationToken)
    {
        // appsettings.json is read but not watched: a watcher holds one of the user's 128 inotify instances for the
        // server's whole life (tests start many of these in one process).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(_options.HealthEndpoint));
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => Readiness() is (true, var ok) ? Results.Text(ok) : Results.Text(Readiness().Detail, statusCode: 503));
        app.MapGet("/metrics", () => Results.Text(_metrics.ToPrometheusText(), _metrics.Exporter.ContentType));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = new Uri(app.Urls.First());
        // With --health-port 0 the port is the system's choice: the log is the only place a person can read it.
        LogHealthListening(_logger, address.Port);
        _healthAddress.TrySetResult(address);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serving /healthz, /readyz and /metrics on port {Port}")]
    private static partial void LogHealthListening(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "leadership lost: stopping so that a fresh start competes again")]
    private static partial void LogLeadershipLost(ILogger logger);
}
