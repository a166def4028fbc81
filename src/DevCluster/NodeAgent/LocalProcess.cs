using System.Diagnostics;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// One container's process: started in a session (and process group) of its own through setsid, so signals reach
/// everything it spawned; stdout and stderr appended to its log file by the shell that then execs the command, so
/// the pid is the command's own and no pump thread is needed.
/// </summary>
public sealed class LocalProcess : IDisposable
{
    private readonly Process _process;

    private LocalProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public static LocalProcess Start(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, string logPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(logPath)! };
        // sh -c SCRIPT $0 $1...: $0 is the log file, "$@" the command; exec keeps the pid.
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" >>\"$0\" 2>&1 </dev/null");
        start.ArgumentList.Add(logPath);
        foreach (var arg in argv)
        {
            start.ArgumentList.Add(arg);
        }
        // A pod never sees the node's kubeconfig: with it, an operator pod would connect as the node agent's user
        // (the client prefers $KUBECONFIG) instead of through its service account. The pod's own env may still set it.
        start.Environment.Remove("KUBECONFIG");
        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }
        return new LocalProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {argv[0]}"));
    }

    /// <summary>
    /// <see cref="Start"/> on a thread of its own: Process.Start returns only once the child has exec'd, which on a busy
    /// host holds the calling thread for tens to hundreds of milliseconds, and the node agent shares its process's thread
    /// pool with the API server and the router.
    /// </summary>
    public static Task<LocalProcess> StartAsync(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, string logPath) =>
        Task.Factory.StartNew(() => Start(argv, env, logPath), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The exit code once the process has ended; 128 + N when signal N ended it.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGTERM, then SIGKILL to the whole group after <paramref name="grace"/> if it has not ended.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken ct)
    {
        using var graceOver = CancellationTokenSource.CreateLinkedTokenSource(ct);
        graceOver.CancelAfter(grace);
        await StopAsync(graceOver.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// SIGTERM, then SIGKILL to the whole group once <paramref name="graceOver"/> fires if it has not ended; a token
    /// rather than a period so that a later, shorter grace period (a second delete, the agent stopping) can end it early.
    /// </summary>
    public async Task StopAsync(CancellationToken graceOver)
    {
        if (_process.HasExited)
        {
            return;
        }
        if (!graceOver.IsCancellationRequested && NativeSignals.SignalGroup(Pid, NativeSignals.SigTerm))
        {
            try
            {
                await _process.WaitForExitAsync(graceOver).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Grace period over.
            }
        }
        NativeSignals.SignalGroup(Pid, NativeSignals.SigKill);
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public void Dispose() => _process.Dispose();
}
