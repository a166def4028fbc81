using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RecOperator.DevCluster.Tests.Support;

/// <summary>
/// `recop devcluster up` as a real child process (the built CLI), so a test can SIGKILL it and start it again.
/// </summary>
public sealed class RecopProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;

    private RecopProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<RecopProcess> StartAsync(string dataDirectory)
    {
        var kubeconfig = Path.Combine(dataDirectory, "kubeconfig");
        File.Delete(kubeconfig);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { await RecopDllAsync(), "devcluster", "up", "--data-dir", dataDirectory, "--port", "0", "--insecure-http" })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("recop did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(kubeconfig))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                process.Kill();
                throw new InvalidOperationException("recop devcluster up did not write its kubeconfig");
            }
            await Task.Delay(100);
        }
        var server = File.ReadAllLines(kubeconfig).Select(l => l.Trim()).First(l => l.StartsWith("server:", StringComparison.Ordinal))["server:".Length..].Trim();
        return new RecopProcess(process, new Uri(server));
    }

    /// <summary>SIGKILL: no shutdown code runs, whatever was not fsync'd is lost.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops it: returns the exit code once it has shut down by itself.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    /// <summary>The CLI built next to this checkout; built once if the solution build has not made it yet.</summary>
    private static async Task<string> RecopDllAsync()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "RecOperator.sln")))
        {
            root = root.Parent;
        }
        if (root is null)
        {
            throw new InvalidOperationException("RecOperator.sln not found above the test directory");
        }
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var dll = Path.Combine(root.FullName, "src", "Cli", "bin", configuration, "net10.0", "recop.dll");
        if (!File.Exists(dll))
        {
            using var build = Process.Start("dotnet", ["build", Path.Combine(root.FullName, "src", "Cli"), "-c", configuration, "--nologo", "-v", "q"])!;
            await build.WaitForExitAsync();
        }
        return dll;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
