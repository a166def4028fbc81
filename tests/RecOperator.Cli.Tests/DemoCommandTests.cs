using RecOperator.Tests.Shared;

namespace RecOperator.Cli.Tests;

/// <summary><c>recop demo</c>'s flags as a process: a wrong value exits before anything starts, naming the flag.</summary>
public sealed class DemoCommandTests
{
    [Theory]
    [InlineData("--duration", "5", "--duration must be 30 to 3600 seconds (got 5)")]
    [InlineData("--slo-ms", "0", "--slo-ms must be above 0")]
    [InlineData("--metrics-source", "graphite", "--metrics-source must be direct or prometheus (got graphite)")]
    public async Task Demo_BadFlag_ExitsNonZeroNamingIt(string flag, string value, string message)
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, "demo", "--no-tui", flag, value);

        result.ExitCode.Should().Be(2);
        (result.Stderr + result.Stdout).Should().Contain(message).And.Contain(flag);
        result.Stdout.Should().NotContain("DevCluster serving", "nothing starts on a bad flag");
    }

    [Fact]
    public async Task Demo_PrometheusSourceWithoutPrometheusInstalled_ExitsTwoWithTheSetupCommand()
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, new Dictionary<string, string?> { ["PATH"] = "/nonexistent" },
            "demo", "--no-tui", "--metrics-source", "prometheus");

        result.ExitCode.Should().Be(2, result.Stderr);
        result.Stderr.Should().Contain("--metrics-source prometheus").And.Contain("bash scripts/setup-prometheus.sh");
    }
}
