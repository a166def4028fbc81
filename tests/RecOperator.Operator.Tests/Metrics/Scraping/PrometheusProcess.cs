using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RecOperator.Operator.Tests.Metrics.Scraping;

/// <summary>A real Prometheus (Debian package) on a free 127.0.0.1 port, scraping static targets every 250 ms.</summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _folder;

    private PrometheusProcess(Process process, DirectoryInfo folder, Uri address) => (_process, _folder, Address) = (process, folder, address);

    public Uri Address { get; }

    /// <param name="targets">
    /// host:port of each pod, with the target labels a PodMonitor gives its series (namespace, model, variant, pool).
    /// </param>
    public static async Task<PrometheusProcess> StartAsync(IEnumerable<(string HostPort, string Namespace, string Model, string Variant, string Pool)> targets)
    {
        var binary = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "prometheus")).FirstOrDefault(File.Exists);
        binary.Should().NotBeNull("prometheus is installed by `bash scripts/setup-prometheus.sh`");
        var folder = Directory.CreateTempSubdirectory("autoscaler-prom-");
        var port = FreePort();
        var staticConfigs = string.Concat(targets.Select(t => $"""

                  - targets: ['{t.HostPort}']
                    labels:
                      namespace: '{t.Namespace}'
                      model: '{t.Model}'
                      variant: '{t.Variant}'
                      pool: '{t.Pool}'
            """));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "prometheus.yml"), $"""
            global:
              scrape_interval: 250ms
              scrape_timeout: 250ms
            scrape_configs:
              - job_name: recpod
                static_configs:{staticConfigs}
            """);
        var process = Process.Start(new ProcessStartInfo(binary!,
        [
            "--config.file=" + Path.Combine(folder.FullName, "prometheus.yml"), "--storage.tsdb.path=" + Path.Combine(folder.FullName, "data"),
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        ]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return new PrometheusProcess(process, folder, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _folder.Delete(recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
