using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RecOperator.Observability.LocalPrometheus;

/// <summary>
/// A real Prometheus (the Debian package that scripts/setup-prometheus.sh installs) as a child process on
/// 127.0.0.1, for the demo and the tests that need the metrics source a cluster would have. It is started from a
/// configuration text, waits until Prometheus says it is ready, and is killed on dispose. Started again on the same
/// folder and port, it carries on with the series it had (an outage, not a new server).
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private PrometheusServer(Process process, StreamWriter log, Uri address, string folder) => (_process, _log, Address, Folder) = (process, log, address, folder);

    /// <summary>The HTTP API's base address, ending with a slash.</summary>
    public Uri Address { get; }

    public int Port => Address.Port;

    /// <summary>Holds prometheus.yml, the TSDB (data/) and Prometheus' own log (prometheus.log).</summary>
    public string Folder { get; }

    /// <summary>The prometheus binary on PATH, or null when it is not installed.</summary>
    public static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "prometheus")).FirstOrDefault(File.Exists);

    /// <param name="configuration">The whole prometheus.yml.</param>
    /// <param name="folder">Created if missing.</param>
    /// <param name="port">0 picks a free port.</param>
    /// <param name="readyTimeout">How long to wait for /-/ready; 30 s when null (a cold start on a busy machine).</param>
    public static async Task<PrometheusServer> StartAsync(string configuration, string folder, int port, CancellationToken ct, TimeSpan? readyTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var binary = FindBinary() ?? throw new InvalidOperationException("prometheus is not on PATH: install it with `bash scripts/setup-prometheus.sh`");
        Directory.CreateDirectory(folder);
        var configPath = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, configuration, ct).ConfigureAwait(false);
        port = port == 0 ? FreePort() : port;
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--config.file=" + configPath,
                "--storage.tsdb.path=" + Path.Combine(folder, "data"),
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=info",
            },
        };
        var log = new StreamWriter(Path.Combine(folder, "prometheus.log"), append: true) { AutoFlush = true };
        var process = Process.Start(start);
        if (process is null)
        {
            await log.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"could not start {binary}");
        }
        // Prometheus logs to stderr; both streams go to its log file so a failed start can be read afterwards.
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, log, new Uri($"http://127.0.0.1:{port}/"), folder);
        try
        {
            await server.WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}; see {Path.Combine(Folder, "prometheus.log")}");
            }
            try
            {
                using var response = await http.GetAsync("-/ready", ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // A slow answer while it starts: ask again.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
        }
        throw new TimeoutException($"prometheus on {Address} was not ready within {timeout.TotalSeconds:F0} s; see {Path.Combine(Folder, "prometheus.log")}");
    }

    /// <summary>Kills the process (as an outage would): nothing is flushed that the next start would need.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        // Returns once both output streams have ended too, so no line is written after the file closes.
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
