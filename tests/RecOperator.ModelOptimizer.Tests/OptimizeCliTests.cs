using RecOperator.ModelOptimizer.Manifest;
using RecOperator.Onnx.Model;

namespace RecOperator.ModelOptimizer.Tests;

/// <summary>The `recop optimize` commands in process: exit codes, messages and what they write.</summary>
public sealed class OptimizeCliTests
{
    [Fact]
    public async Task Quantize_NonOnnxFile_ExitCode2NamingTheFileAndNothingWritten()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("bad.onnx"), "garbage");

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "quantize", "--mode", "int8-dynamic", "--in", folder.File("bad.onnx"), "--out", folder.File("out"));

        exitCode.Should().Be(2);
        error.Should().Contain("optimize quantize: --in:").And.Contain("bad.onnx").And.Contain("is not an ONNX model");
        output.Should().BeEmpty();
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    [Fact]
    public async Task Quantize_UnknownMode_ExitCode2ListingModes()
    {
        using var folder = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync("optimize", "quantize", "--mode", "int4", "--in", await ModelFixtures.PathAsync("dlrm-small"), "--out", folder.File("out"));

        exitCode.Should().Be(2);
        error.Should().Contain("--mode: 'int4' is not supported; choose one of int8-dynamic, int8-static, w8a16, emb-int8");
    }

    [Fact]
    public async Task Quantize_PercentileWithDynamicMode_ExitCode2AndNothingWritten()
    {
        using var folder = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync("optimize", "quantize", "--mode", "int8-dynamic", "--percentile", "99",
            "--in", await ModelFixtures.PathAsync("dlrm-small"), "--out", folder.File("out"));

        exitCode.Should().Be(2);
        error.Should().Contain("--calibration, --percentile, --calibration-requests and --calibration-data apply to --mode int8-static only, not int8-dynamic");
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    [Fact]
    public async Task Quantize_Int8Dynamic_PrintsVariantsEntryWithTheArtifactDigest()
    {
        using var folder = new TempFolder();

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "quantize", "--mode", "int8-dynamic",
            "--in", await ModelFixtures.PathAsync("user-candidate"), "--out", folder.Path, "--node-pool", "cpu-pool");

        exitCode.Should().Be(0, error);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(folder.File("user-candidate.int8-dynamic.onnx"))));
        output.Should().Contain("variants:\n- name: user-candidate-int8-dynamic\n  hardware: Cpu\n  artifact:\n")
            .And.MatchRegex($"sha256: \"?{sha}\"?\n").And.Contain("precision: int8").And.Contain("- cpu-pool");
        var (validateExit, validation) = await CliRunner.ValidatePastedVariantAsync(output, folder.Path);
        validateExit.Should().Be(0, validation);
        validation.Should().Contain("RecModel default/pasted: valid");
    }

    [Fact]
    public async Task Quantize_GemmWithTransA_ExitCode2NamingTheNodeAndNothingWritten()
    {
        using var folder = new TempFolder();
        OnnxModelFiles.Write(TestModels.TransposedGemm(), folder.File("transposed.onnx"));

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "quantize", "--mode", "int8-dynamic", "--in", folder.File("transposed.onnx"), "--out", folder.File("out"));

        exitCode.Should().Be(2);
        error.Should().Contain("optimize quantize: cannot quantize Gemm node 'y_node' (output 'y'): only Gemm with transA=0");
        output.Should().BeEmpty();
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    [Fact]
    public async Task Fp16_KeepIoWithBlockedReduceMean_WritesGpuVariantThatValidatesAsARecModel()
    {
        using var folder = new TempFolder();

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "fp16", "--keep-io-fp32", "--block-ops", "ReduceMean",
            "--in", await ModelFixtures.PathAsync("user-candidate"), "--out", folder.File("out"), "--node-pool", "gpu", "--fidelity-requests", "2", "--fidelity-candidates", "16");

        exitCode.Should().Be(0, error);
        File.Exists(folder.File("out/user-candidate.fp16.onnx")).Should().BeTrue();
        output.Should().Contain("io: float32 (Casts at the edges)").And.Contain("blockedNodes: 1")
            .And.Contain("hardware: Gpu").And.Contain("executionProvider: Cuda").And.Contain("precision: fp16");
        var (validateExit, validation) = await CliRunner.ValidatePastedVariantAsync(output, folder.Path);
        validateExit.Should().Be(0, validation);
        // The same paste with the hardware changed breaks the CUDA-needs-GPU rule: the check really validates the entry.
        var (brokenExit, broken) = await CliRunner.ValidatePastedVariantAsync(output.Replace("hardware: Gpu", "hardware: Cpu", StringComparison.Ordinal), folder.Path);
        brokenExit.Should().Be(1);
        broken.Should().Contain("spec.variants[0].executionProvider");
    }

    [Fact]
    public async Task Fp16_BlockedOpTheModelLacks_ExitCode2NamingIt()
    {
        using var folder = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync("optimize", "fp16", "--block-ops", "LayerNormalization",
            "--in", await ModelFixtures.PathAsync("user-candidate"), "--out", folder.File("out"));

        exitCode.Should().Be(2);
        error.Should().Contain("optimize fp16: --block-ops: the model has no 'LayerNormalization' node");
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    [Fact]
    public async Task Prune_QuarterWithoutGate_PrintsParameterCountsAndAVariantThatValidates()
    {
        using var folder = new TempFolder();

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "prune", "--sparsity", "0.25", "--no-gate",
            "--in", await ModelFixtures.PathAsync("user-candidate"), "--out", folder.Path, "--fidelity-requests", "2", "--fidelity-candidates", "16");

        exitCode.Should().Be(0, error);
        File.Exists(folder.File("user-candidate.pruned-25.onnx")).Should().BeTrue();
        output.Should().Contain("prunedHiddenLayers: 2").And.MatchRegex(@"parametersBefore: \d+\n").And.MatchRegex(@"parametersAfter: \d+\n")
            .And.Contain("name: user-candidate-pruned-25").And.Contain("precision: fp32");
        (await CliRunner.ValidatePastedVariantAsync(output, folder.Path)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Prune_SparsityOne_ExitCode2()
    {
        using var folder = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync("optimize", "prune", "--sparsity", "1", "--in", await ModelFixtures.PathAsync("user-candidate"), "--out", folder.File("out"));

        exitCode.Should().Be(2);
        error.Should().Contain("optimize prune: --sparsity must be between 0 and 1 (exclusive), got 1");
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    [Fact]
    public async Task Split_UserInputs_WritesBothModelsAndACandidateVariantThatValidates()
    {
        using var folder = new TempFolder();

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "split", "--user-inputs", "user_dense, user_history",
            "--in", await ModelFixtures.PathAsync("user-candidate"), "--out", folder.Path, "--fidelity-requests", "2", "--fidelity-candidates", "16");

        exitCode.Should().Be(0, error);
        File.Exists(folder.File("user-candidate.user.onnx")).Should().BeTrue();
        output.Should().Contain($"wrote {folder.File("user-candidate.candidate.onnx")}").And.Contain("max abs error 0.00E+000")
            .And.Contain("name: user-candidate-candidate");
        (await CliRunner.ValidatePastedVariantAsync(output, folder.Path)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Split_UserInputThatIsNotAnInput_ExitCode2()
    {
        using var folder = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync("optimize", "split", "--user-inputs", "user_age",
            "--in", await ModelFixtures.PathAsync("user-candidate"), "--out", folder.File("out"));

        exitCode.Should().Be(2);
        error.Should().Contain("optimize split: --user-inputs").And.Contain("user_age");
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    [Fact]
    public async Task Profile_GenerousTarget_PrintsCapacityAndAVariantWithItThatValidates()
    {
        using var folder = new TempFolder();

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "profile", "--in", await ModelFixtures.PathAsync("user-candidate"), "--out", folder.Path,
            "--p99-ms", "1000", "--candidates", "10", "--samples", "5", "--node-pool", "cpu");

        exitCode.Should().Be(0, error);
        output.Should().MatchRegex(@"capacity: [0-9.]+ QPS per replica at p99 [0-9.]+ ms \(target 1000 ms, 10 candidates")
            .And.Contain("capacity:\n    qpsPerReplica:").And.Contain("candidatesPerRequest: 10");
        (await ManifestFiles.ReadAsync(folder.File("manifest.json"), CancellationToken.None))!.Profile!.QpsPerReplica.Should().BeGreaterThan(0);
        (await CliRunner.ValidatePastedVariantAsync(output, folder.Path)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task ProfileHelp_Always_SaysWhatIsModelledAndWhatLoadTestMeasures()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("optimize", "profile", "--help");

        exitCode.Should().Be(0);
        output.Should().Contain("queue model").And.Contain("over run times measured").And.Contain("--load-test").And.Contain("real inference pod");
    }

    [Fact]
    public async Task Profile_LoadTest_RecordsTheHighestRateARealPodServedWithinTheTarget()
    {
        using var folder = new TempFolder();

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "profile", "--in", await ModelFixtures.PathAsync("user-candidate"), "--out", folder.Path,
            "--p99-ms", "1000", "--candidates", "10", "--samples", "5", "--load-test", "--seconds-per-rate", "1");

        exitCode.Should().Be(0, error + output);
        var rungs = System.Text.RegularExpressions.Regex.Matches(output, @"^profile @ (?<rate>[0-9]+)/s +(?<served>[0-9]+) req/s .* p99 +(?<p99>[0-9.]+) ms +failed (?<failed>[0-9]+)",
            System.Text.RegularExpressions.RegexOptions.Multiline);
        rungs.Should().NotBeEmpty("each rate tried prints a line; output:\n" + output);
        var profile = (await ManifestFiles.ReadAsync(folder.File("manifest.json"), CancellationToken.None))!.Profile!;
        profile.Method.Should().StartWith("load test:");
        profile.QpsPerReplica.Should().BeGreaterThan(0);
        profile.P99LatencyMs.Should().BeLessThanOrEqualTo(1000);
        // The recorded rate is one the pod actually served: a rung that passed (no failure, p99 within the target).
        rungs.Where(r => r.Groups["failed"].Value == "0" && double.Parse(r.Groups["p99"].Value, System.Globalization.CultureInfo.InvariantCulture) <= 1000)
            .Select(r => double.Parse(r.Groups["served"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Should().Contain(served => Math.Abs(served - profile.QpsPerReplica) <= 1, $"the profile's {profile.QpsPerReplica} QPS was measured; output:\n{output}");
        (await CliRunner.ValidatePastedVariantAsync(output, folder.Path)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Profile_ZeroSamples_ExitCode2NamingTheFlag()
    {
        using var folder = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync("optimize", "profile", "--in", await ModelFixtures.PathAsync("user-candidate"), "--out", folder.File("out"),
            "--samples", "0");

        exitCode.Should().Be(2);
        error.Should().Contain("--samples >= 5 (0)");
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    [Fact]
    public async Task Verify_SameModelWithGate_PassesWithExitCode0()
    {
        var model = await ModelFixtures.PathAsync("dlrm-small");

        var (exitCode, output, _) = await CliRunner.RunAsync("optimize", "verify", "--reference", model, "--candidate", model, "--requests", "4", "--candidates", "20", "--gate");

        exitCode.Should().Be(0);
        output.Should().Contain("max abs error 0.00E+000").And.Contain("top-10 1.0000").And.Contain("gate passed");
    }

    [Fact]
    public async Task Verify_DifferentlySeededCandidateWithGate_RefusedWithExitCode1()
    {
        var reference = await ModelFixtures.PathAsync("dlrm-small");
        var other = await ModelFixtures.PathAsync("dlrm-small", seed: 1234);

        var (exitCode, _, error) = await CliRunner.RunAsync("optimize", "verify", "--reference", reference, "--candidate", other, "--requests", "4", "--candidates", "50", "--gate");

        exitCode.Should().Be(1);
        error.Should().Contain("gate failed: top-10 agreement");
    }

    [Fact]
    public async Task Verify_CandidateWithSmallerTables_RefusedNamingTheInputWithExitCode2()
    {
        var reference = await ModelFixtures.PathAsync("dlrm-small");
        var smaller = await ModelFixtures.PathAsync("dlrm-small", rows: 50);

        var (exitCode, _, error) = await CliRunner.RunAsync("optimize", "verify", "--reference", reference, "--candidate", smaller, "--requests", "2", "--candidates", "8");

        // The reference's ids reach past the candidate's tables: ONNX Runtime's Gather error (and its log line) came out.
        exitCode.Should().Be(2);
        error.Should().Contain("optimize verify: the candidate does not take the reference's requests: input 'sparse_0' indexes a table of 50 rows in the candidate and 200 in the reference; ")
            .And.Contain("; and 23 more");
        error.Should().NotContain("Gather");
    }

    [Fact]
    public async Task Verify_ThresholdWithoutGate_ExitCode2()
    {
        var model = await ModelFixtures.PathAsync("dlrm-small");

        var (exitCode, _, error) = await CliRunner.RunAsync("optimize", "verify", "--reference", model, "--candidate", model, "--min-top10", "0.9");

        exitCode.Should().Be(2);
        error.Should().Contain("add --gate to apply them");
    }
}
