using System.Diagnostics;
using RecOperator.Tests.Shared;

namespace RecOperator.Cli.Tests;

/// <summary>Runs the built recop CLI as a real child process, as a person or a script would.</summary>
internal static class RecopProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string?>(), args);

    /// <param name="environment">Variables set (or, with a null value, removed) for the child only.</param>
    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var result = await ChildProcess.RunDotnetAsync("recop.dll", args, TimeSpan.FromSeconds(60), environment, workingDirectory);
        return new Result(result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>
    /// Runs a long-lived command (the operator) and reads its standard output line by line until
    /// <paramref name="enough"/> holds for the lines so far, or 60 s pass; then ends that process.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RunUntilAsync(string workingDirectory, Func<IReadOnlyList<string>, bool> enough, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, new Dictionary<string, string?>(), args))!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        var lines = new List<string>();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (enough(lines))
                {
                    break;
                }
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
        }

        lines.Should().NotBeEmpty($"recop {string.Join(' ', args)} wrote nothing; stderr: {await stderr}");
        return lines;
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "recop.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
