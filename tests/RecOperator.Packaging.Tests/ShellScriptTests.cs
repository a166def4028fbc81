using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// Every shell script the repository ships is checked by shellcheck: most cannot run whole here (no Docker, no GPU) or
/// fetch hundreds of megabytes. The list is the repository's, so a new script is checked without anyone adding it.
/// </summary>
public sealed class ShellScriptTests
{
    public static TheoryData<string> Scripts() => new(ScriptPaths());

    [Fact]
    public void Scripts_Repository_IncludesTheSetupTestAndCiScripts() =>
        ScriptPaths().Should().Contain(["scripts/setup.sh", "scripts/test.sh", ".ci/run", "recop", "scripts/calibrate-sim.sh"]);

    private static IEnumerable<string> ScriptPaths() =>
        Directory.EnumerateFiles(RepoPaths.Root, "*.sh", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepoPaths.Root, p))
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" || part.StartsWith('.')))
            .Append(".ci/run").Append("recop").Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Shellcheck_Script_ReportsNothing(string script)
    {
        var result = await ProcessRunner.RunAsync("shellcheck", ["--severity=style", script], RepoPaths.Root, TimeSpan.FromMinutes(1));
        result.ExitCode.Should().Be(0, result.ToString());
    }
}
