using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace RecOperator.InferencePod.Tests;

/// <summary>`recop` (the built CLI next to the tests) as a real child process, and what tests read from it.</summary>
internal static class RecopProcess
{
    public static Process Start(string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "recop.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }

    /// <summary>`recop pod` serving <paramref name="artifact"/> as "dlrm" on the given ports of 127.0.0.1, with extra arguments.</summary>
    public static Process StartPod(string artifact, int httpPort, int grpcPort, params string[] extra) =>
        Start(["pod", "--model-name", "dlrm", "--artifact", artifact, "--bind", "127.0.0.1", "--http-port", $"{httpPort}", "--grpc-port", $"{grpcPort}",
            "--threads", "1", .. extra]);

    public static async Task<int> WaitForExitAsync(Process process, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public static void Terminate(Process process) =>
        Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();

    public static void KillIfRunning(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    public static async Task<HttpStatusCode?> TryStatusAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            stopwatch.Elapsed.Should().BeLessThan(limit, "the pod must reach the expected state in time");
            await Task.Delay(50);
        }
    }

    public static Task WaitUntilReadyAsync(HttpClient rest) =>
        WaitUntilAsync(async () => (await TryStatusAsync(rest, "/v2/health/ready")) == HttpStatusCode.OK, TimeSpan.FromSeconds(60));

    /// <summary>Resident memory of a process as the kernel counts it (/proc/PID/status VmRSS), in bytes.</summary>
    public static long ResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }

    public static bool IsJson(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
