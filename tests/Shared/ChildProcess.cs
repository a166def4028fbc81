using System.Diagnostics;

namespace RecOperator.Tests.Shared;

/// <summary>
/// Runs a program to its end as a real child process, as a person or a script would, and returns its exit code and
/// both outputs. The one way every test project runs a command that exits by itself (recop, a benchmark, promtool).
/// </summary>
internal static class ChildProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <param name="environment">Variables set (or, with a null value, removed) for the child only.</param>
    /// <param name="stdin">Written to the child's standard input, which is then closed; null leaves it alone.</param>
    public static async Task<Result> RunAsync(
        string file, IEnumerable<string> arguments, TimeSpan limit,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(limit);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not exit within {limit.TotalSeconds:F0} s");
        }
        return new Result(process.ExitCode, (await stdout).Replace("\r\n", "\n", StringComparison.Ordinal), await stderr);
    }

    /// <summary>Runs an assembly that sits next to the test assembly (a referenced project's output) with `dotnet`.</summary>
    public static Task<Result> RunDotnetAsync(
        string assemblyNextToTests, IEnumerable<string> arguments, TimeSpan limit,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null) =>
        RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, assemblyNextToTests), .. arguments], limit, environment, workingDirectory);
}
