using System.Diagnostics;

namespace RecOperator.DevCluster.Tests.Support;

/// <summary>Runs the real kubectl (v1.32 on the machine image) against a kubeconfig the fixture wrote.</summary>
public static class Kubectl
{
    // One discovery cache for every call of a test run (kubectl then asks for discovery once per server, not per call),
    // removed when the test host exits so that runs outside scripts/test.sh (which gives each run its own TMPDIR) leave
    // nothing in /tmp.
    private static readonly string CacheDirectory = CreateCacheDirectory();

    private static string CreateCacheDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A kubectl still writing at exit: the folder stays, as it did before.
            }
        };
        return directory;
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>Runs kubectl, fails the test unless it exits 0, and returns its stdout.</summary>
    public static async Task<string> RunOkAsync(string kubeconfig, IEnumerable<string> args, int timeoutSeconds = 30)
    {
        var result = await RunAsync(kubeconfig, args, timeoutSeconds: timeoutSeconds);
        result.ExitCode.Should().Be(0, result.ToString());
        return result.Stdout;
    }

    public static string Asset(string name) => Path.Combine(AppContext.BaseDirectory, "testassets", name);

    public static async Task<Result> RunAsync(string kubeconfig, IEnumerable<string> args, string? stdin = null, int timeoutSeconds = 30)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(CacheDirectory);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in {timeoutSeconds}s");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
