using System.CommandLine;
using RecOperator.Cli;

namespace RecOperator.ModelOptimizer.Tests;

/// <summary>The `recop optimize` commands in process: exit codes, messages and what they write.</summary>
public sealed class OptimizeCliTests
{
    [Fact]
    public async Task Quantize_NonOnnxFile_ExitCode2NamingTheFileAndNothingWritten()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("bad.onnx"), "garbage");

        var (exitCode, output, error) = await RunAsync("optimize", "quantize", "--mode", "int8-dynamic", "--in", folder.File("bad.onnx"), "--out", folder.File("out"));

        exitCode.Should().Be(2);
        error.Should().Contain("optimize quantize: --in:").And.Contain("bad.onnx").And.Contain("is not an ONNX model");
        output.Should().BeEmpty();
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    [Fact]
    public async Task Quantize_UnknownMode_ExitCode2ListingModes()
    {
        using var folder = new TempFolder();

        var (exitCode, _, error) = await RunAsync("optimize", "quantize", "--mode", "int4", "--in", await ModelFixtures.PathAsync("dlrm-small"), "--out", folder.File("out"));

        exitCode.Should().Be(2);
        error.Should().Contain("--mode: 'int4' is not supported; choose one of int8-dynamic, int8-static, w8a16, emb-int8");
    }

    [Fact]
    public async Task Quantize_PercentileWithDynamicMode_ExitCode2AndNothingWritten()
    {
        using var folder = new TempFolder();

        var (exitCode, _, error) = await RunAsync("optimize", "quantize", "--mode", "int8-dynamic", "--percentile", "99",
            "--in", await ModelFixtures.PathAsync("dlrm-small"), "--out", folder.File("out"));

        exitCode.Should().Be(2);
        error.Should().Contain("--calibration and --percentile apply to --mode int8-static only");
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    [Fact]
    public async Task Quantize_Int8Dynamic_PrintsVariantsEntryWithTheArtifactDigest()
    {
        using var folder = new TempFolder();

        var (exitCode, output, error) = await RunAsync("optimize", "quantize", "--mode", "int8-dynamic",
            "--in", await ModelFixtures.PathAsync("user-candidate"), "--out", folder.Path, "--node-pool", "cpu-pool");

        exitCode.Should().Be(0, error);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(folder.File("user-candidate.int8-dynamic.onnx"))));
        output.Should().Contain("variants:\n- name: user-candidate-int8-dynamic\n  hardware: Cpu\n  artifact:\n")
            .And.MatchRegex($"sha256: \"?{sha}\"?\n").And.Contain("precision: int8").And.Contain("- cpu-pool");
    }

    [Fact]
    public async Task Verify_SameModelWithGate_PassesWithExitCode0()
    {
        var model = await ModelFixtures.PathAsync("dlrm-small");

        var (exitCode, output, _) = await RunAsync("optimize", "verify", "--reference", model, "--candidate", model, "--requests", "4", "--candidates", "20", "--gate");

        exitCode.Should().Be(0);
        output.Should().Contain("max abs error 0.00E+000").And.Contain("top-10 1.0000").And.Contain("gate passed");
    }

    [Fact]
    public async Task Verify_DifferentlySeededCandidateWithGate_RefusedWithExitCode1()
    {
        var reference = await ModelFixtures.PathAsync("dlrm-small");
        var other = await ModelFixtures.PathAsync("dlrm-small", seed: 1234);

        var (exitCode, _, error) = await RunAsync("optimize", "verify", "--reference", reference, "--candidate", other, "--requests", "4", "--candidates", "50", "--gate");

        exitCode.Should().Be(1);
        error.Should().Contain("gate failed: top-10 agreement");
    }

    [Fact]
    public async Task Verify_ThresholdWithoutGate_ExitCode2()
    {
        var model = await ModelFixtures.PathAsync("dlrm-small");

        var (exitCode, _, error) = await RunAsync("optimize", "verify", "--reference", model, "--candidate", model, "--min-top10", "0.9");

        exitCode.Should().Be(2);
        error.Should().Contain("add --gate to apply them");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await RecopCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
