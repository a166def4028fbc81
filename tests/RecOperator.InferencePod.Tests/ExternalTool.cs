using RecOperator.Tests.Shared;

namespace RecOperator.InferencePod.Tests;

/// <summary>Runs promtool or Prometheus with a time limit; a missing tool fails with the set-up command to run.</summary>
internal static class ExternalTool
{
    public static string Require(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        path.Should().NotBeNull($"{name} is installed by `bash scripts/setup-prometheus.sh`");
        return path!;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, string? stdin, TimeSpan limit)
    {
        var result = await ChildProcess.RunAsync(file, arguments, limit, stdin: stdin ?? "");
        return (result.ExitCode, result.Stdout + result.Stderr);
    }
}
