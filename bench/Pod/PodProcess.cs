using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RecOperator.Bench.Pod;

/// <summary>
/// `recop pod` as its own process, exactly as a cluster runs it (JSON console logging, the production host), so its
/// CPU time can be read apart from the load generator's: <see cref="CpuSeconds"/> reads /proc/&lt;pid&gt;/stat.
/// </summary>
internal sealed class PodProcess : IAsyncDisposable
{
    /// <summary>The kernel's USER_HZ: /proc reports CPU times in these ticks (100 on every Linux ABI .NET runs on).</summary>
    private const double TicksPerSecond = 100;

    private readonly Process _process;

    private PodProcess(Process process, int httpPort, int grpcPort)
    {
        _process = process;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
    }

    public int HttpPort { get; }

    public int GrpcPort { get; }

    /// <summary>Starts `dotnet RECOP_DLL pod ...` on two free loopback ports and waits until it reports ready.</summary>
    /// <param name="environment">Variables set for the pod alone (runtime knobs compared side by side), not the load generator.</param>
    public static async Task<PodProcess> StartAsync(string recopDll, string artifact, string model, IEnumerable<string> settings,
        IEnumerable<KeyValuePair<string, string>>? environment = null)
    {
        var (httpPort, grpcPort) = (FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }
        foreach (var argument in new[] { recopDll, "pod", "--model-name", model, "--artifact", artifact, "--bind", "127.0.0.1",
            "--http-port", httpPort.ToString(CultureInfo.InvariantCulture), "--grpc-port", grpcPort.ToString(CultureInfo.InvariantCulture) }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {recopDll}");
        // Drain both pipes so a chatty pod never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { Length: > 0 } text) { Console.Error.WriteLine($"  [pod {process.Id}] {text}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var pod = new PodProcess(process, httpPort, grpcPort);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the pod ({recopDll}) exited with code {process.ExitCode} before it was ready");
            }
            try
            {
                using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/v2/health/ready")).ConfigureAwait(false);
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return pod;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        await pod.DisposeAsync().ConfigureAwait(false);
        throw new TimeoutException($"the pod ({recopDll}) was not ready within 60 s");
    }

    /// <summary>User plus system CPU seconds the pod process has used so far (fields 14 and 15 of /proc/PID/stat).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain numbers.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        var ticks = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond;
    }

    /// <summary>
    /// Context switches of all the pod's threads so far, voluntary (a thread slept: waiting for work or I/O) and not.
    /// Each is a sleep and a wake-up, the costliest part of a hand-off between threads on a virtual machine.
    /// </summary>
    public long ContextSwitches()
    {
        var total = 0L;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{_process.Id}/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        total += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
