using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// Scripts that cannot run whole here (no Docker, no GPU) or that fetch hundreds of megabytes are at least checked by
/// shellcheck.
/// </summary>
public sealed class ShellScriptTests
{
    [Theory]
    [InlineData("tests/e2e/kind.sh")]
    [InlineData("scripts/setup-shellcheck.sh")]
    [InlineData("scripts/setup-onnxruntime.sh")]
    [InlineData("bench/gpu/device-run.sh")]
    public async Task Shellcheck_Script_ReportsNothing(string script)
    {
        var result = await ProcessRunner.RunAsync("shellcheck", ["--severity=style", script], RepoPaths.Root, TimeSpan.FromMinutes(1));
        result.ExitCode.Should().Be(0, result.ToString());
    }
}
