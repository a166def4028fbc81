using RecOperator.Tests.Shared;

namespace RecOperator.Cli.Tests;

/// <summary><c>recop operator</c> as a process: a connection it cannot load is a clear error, not a crash.</summary>
public sealed class OperatorCommandTests
{
    [Fact]
    public async Task Operator_MissingKubeconfig_ExitsTwoNamingTheProblem()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-kubeconfig-{Guid.NewGuid():N}");

        var result = await RecopProcess.RunAsync(RepoPaths.Root, "operator", "--kubeconfig", missing);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("cannot load the cluster connection").And.Contain(missing);
    }

    [Fact]
    public async Task Operator_HealthPortOutOfRange_ExitsTwo()
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, "operator", "--health-port", "70000");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("--health-port");
    }
}
