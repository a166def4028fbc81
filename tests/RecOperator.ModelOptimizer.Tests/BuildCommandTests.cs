using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using RecOperator.Tests.Shared;

namespace RecOperator.ModelOptimizer.Tests;

/// <summary><c>recop optimize build</c> as a child process, as the README and scripts run it.</summary>
public sealed partial class BuildCommandTests
{
    [Fact]
    public async Task Build_UserCandidateWithFewRows_WritesTheModelAndMatchesTheReferenceMath()
    {
        using var folder = new TempFolder();

        var (exitCode, output, error) = await RunRecopAsync("optimize", "build", "--model", "user-candidate", "--rows", "100", "--out", folder.Path);

        exitCode.Should().Be(0, error);
        var path = folder.File("user-candidate.onnx");
        File.Exists(path).Should().BeTrue(output);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        output.Should().Contain($"wrote {path} (").And.Contain($"sha256 {sha256})");

        var difference = MaxAbsDifferenceLine().Match(output);
        difference.Success.Should().BeTrue($"the output must state the ONNX Runtime vs C# difference:\n{output}");
        double.Parse(difference.Groups["value"].Value, CultureInfo.InvariantCulture).Should().BeLessThanOrEqualTo(1e-5);
    }

    [Fact]
    public async Task Build_UnknownModel_ExitsTwoNamingItAndWritesNothing()
    {
        using var folder = new TempFolder();

        var (exitCode, output, error) = await RunRecopAsync("optimize", "build", "--model", "no-such-model", "--out", folder.Path);

        exitCode.Should().Be(2);
        error.Should().Contain("no-such-model");
        output.Should().BeEmpty();
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty();
    }

    [GeneratedRegex(@"^ONNX Runtime vs C# reference math: max abs difference (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex MaxAbsDifferenceLine();

    private static async Task<(int ExitCode, string Output, string Error)> RunRecopAsync(params string[] args)
    {
        // The test project references the CLI, so recop.dll and the native engine sit next to the test assembly.
        var result = await ChildProcess.RunDotnetAsync("recop.dll", args, TimeSpan.FromSeconds(120));
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
