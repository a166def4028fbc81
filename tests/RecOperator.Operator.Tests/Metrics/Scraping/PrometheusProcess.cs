using RecOperator.Observability.LocalPrometheus;

namespace RecOperator.Operator.Tests.Metrics.Scraping;

/// <summary>
/// A real Prometheus (the project's <see cref="PrometheusServer"/>) on a free 127.0.0.1 port, scraping static targets
/// every 250 ms; its folder is removed on dispose.
/// </summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly PrometheusServer _server;

    private PrometheusProcess(PrometheusServer server) => _server = server;

    public Uri Address => _server.Address;

    /// <param name="targets">
    /// host:port of each pod, with the target labels a PodMonitor gives its series (namespace, model, variant, pool).
    /// </param>
    public static async Task<PrometheusProcess> StartAsync(IEnumerable<(string HostPort, string Namespace, string Model, string Variant, string Pool)> targets)
    {
        PrometheusServer.FindBinary().Should().NotBeNull("prometheus is installed by `bash scripts/setup-prometheus.sh`");
        var staticConfigs = string.Concat(targets.Select(t => $"""

                  - targets: ['{t.HostPort}']
                    labels:
                      namespace: '{t.Namespace}'
                      model: '{t.Model}'
                      variant: '{t.Variant}'
                      pool: '{t.Pool}'
            """));
        var configuration = $"""
            global:
              scrape_interval: 250ms
              scrape_timeout: 250ms
            scrape_configs:
              - job_name: recpod
                static_configs:{staticConfigs}
            """;
        var folder = Directory.CreateTempSubdirectory("autoscaler-prom-").FullName;
        return new PrometheusProcess(await PrometheusServer.StartAsync(configuration, folder, port: 0, CancellationToken.None));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_server.Folder, recursive: true);
    }
}
