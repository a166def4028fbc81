using System.Globalization;
using System.Text.RegularExpressions;
using RecOperator.Tests.Shared;

namespace RecOperator.Bench.Tests;

/// <summary>bench/Onnx as a child process with its quickest options: the table it prints is complete and well formed.</summary>
public sealed partial class OnnxBenchSmokeTests
{
    [Fact]
    public async Task Main_QuickOneModel_PrintsTheHeaderAndOneRowPerBatchAndThreadCount()
    {
        var (exitCode, output, error) = await RunBenchAsync("--quick", "--model", "user-candidate", "--seconds", "0.05");

        exitCode.Should().Be(0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        lines[0].Should().MatchRegex(@"^# ONNX Runtime \d+\.\d+\.\d+, \d+ logical CPUs, 0\.05 s per cell$");
        lines[1].Should().Be("| model | batch | intra-op threads | pairs/s | ms per run |");
        lines[2].Should().Be("| --- | ---: | ---: | ---: | ---: |");

        var rows = lines.Skip(3).Select(l => Row().Match(l)).ToList();
        rows.Should().OnlyContain(r => r.Success, output);
        rows.Select(r => (r.Groups["model"].Value, int.Parse(r.Groups["batch"].Value, CultureInfo.InvariantCulture), int.Parse(r.Groups["threads"].Value, CultureInfo.InvariantCulture)))
            .Should().Equal(
                ("user-candidate", 1, 1), ("user-candidate", 64, 1), ("user-candidate", 1024, 1), ("user-candidate", 4096, 1),
                ("user-candidate", 1, 2), ("user-candidate", 64, 2), ("user-candidate", 1024, 2), ("user-candidate", 4096, 2));
        foreach (var row in rows)
        {
            double.Parse(row.Groups["pairs"].Value, NumberStyles.Number, CultureInfo.InvariantCulture).Should().BeGreaterThan(0);
            double.Parse(row.Groups["ms"].Value, CultureInfo.InvariantCulture).Should().BeGreaterThan(0);
        }
    }

    [GeneratedRegex(@"^\| (?<model>[a-z0-9-]+) \| (?<batch>\d+) \| (?<threads>\d+) \| (?<pairs>[\d,]+) \| (?<ms>[\d.]+) \|$")]
    private static partial Regex Row();

    private static async Task<(int ExitCode, string Output, string Error)> RunBenchAsync(params string[] args)
    {
        // The test project references bench/Onnx, so its assembly and the native engine sit next to the tests.
        var result = await ChildProcess.RunDotnetAsync("RecOperator.Bench.Onnx.dll", args, TimeSpan.FromSeconds(120));
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
