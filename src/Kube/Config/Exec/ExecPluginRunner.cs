using System.ComponentModel;
using System.Diagnostics;

namespace RecOperator.Kube.Config.Exec;

/// <summary>
/// Runs an exec credential plugin once, as client-go does: this process's environment plus the kubeconfig's
/// <c>env</c> and KUBERNETES_EXEC_INFO, no standard input (never interactive), standard output is the answer.
/// Standard error is kept for the error message, since nobody watches this process's terminal.
/// </summary>
internal static class ExecPluginRunner
{
    public const string ExecInfoVariable = "KUBERNETES_EXEC_INFO";

    // ENOENT: the command is neither on PATH nor at the path given.
    private const int NotFound = 2;

    // Enough for a plugin's explanation, not enough to flood a log with a stack trace it printed.
    private const int StderrLimit = 4000;

    public static string Describe(ExecPluginSpec spec) => $"exec plugin '{spec.Command}' ({spec.Origin})";

    /// <summary>Runs the plugin to its end and returns its standard output; kills it (and its children) after <paramref name="timeout"/>.</summary>
    public static async Task<string> RunAsync(ExecPluginSpec spec, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = Start(spec);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        // Not cancelled with the run, so what a stopped plugin said before it was stopped is still read.
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            var (output, errors) = (await stdout.ConfigureAwait(false), await stderr.WaitAsync(limit.Token).ConfigureAwait(false));
            return process.ExitCode == 0
                ? output
                : throw new ExecPluginException($"{Describe(spec)} failed with exit code {process.ExitCode}{StderrPart(errors)}");
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new ExecPluginException($"{Describe(spec)} did not finish within {timeout.TotalSeconds:0.###} s and was stopped{StderrPart(await Drained(stderr).ConfigureAwait(false))}");
        }
    }

    private static Process Start(ExecPluginSpec spec)
    {
        var start = new ProcessStartInfo(spec.Command)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Redirected and closed at once: the plugin reads end-of-file instead of sharing this process's stdin.
            RedirectStandardInput = true,
        };
        foreach (var argument in spec.Args)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Env)
        {
            start.Environment[name] = value;
        }

        start.Environment[ExecInfoVariable] = ExecCredentialJson.Request(spec);
        try
        {
            var process = Process.Start(start) ?? throw new ExecPluginException($"{Describe(spec)} could not be started");
            process.StandardInput.Close();
            return process;
        }
        catch (Win32Exception e) when (e.NativeErrorCode == NotFound)
        {
            var hint = spec.InstallHint is { Length: > 0 } h ? "\n\n" + h.TrimEnd() : "";
            var where = Path.IsPathRooted(spec.Command) ? "does not exist" : "was not found on PATH";
            throw new ExecPluginException($"{Describe(spec)}: the executable {where}{hint}", e);
        }
        catch (Win32Exception e)
        {
            throw new ExecPluginException($"{Describe(spec)} could not be started: {e.Message}", e);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
    }

    // What the plugin wrote to stderr before it was stopped. A child it left running may still hold the pipe open,
    // so the wait for the end of the text is short.
    private static async Task<string> Drained(Task<string> stderr)
    {
        try
        {
            return await stderr.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return "";
        }
    }

    private static string StderrPart(string stderr)
    {
        var text = stderr.Trim();
        if (text.Length == 0)
        {
            return "";
        }

        return text.Length <= StderrLimit ? $": {text}" : $": ...{text[^StderrLimit..]}";
    }
}
