using RecOperator.Tests.Shared;

namespace RecOperator.Cli.Tests;

/// <summary>
/// Bad input found by exploratory testing: each gets one clear line naming the option or field that is wrong, usage
/// errors exit 2, and no stack trace is printed for a user's mistake.
/// </summary>
public sealed class UserErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recop-errors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Split_UserInputWithOneRowPerCandidate_ExitsTwoNamingTheInput()
    {
        var model = await BuildAsync("dlrm-small");

        var result = await RunAsync("optimize", "split", "--user-inputs", "dense", "--in", model, "--out", Path.Combine(_dir, "split"));

        result.ExitCode.Should().Be(2, result.Stderr);
        result.Stderr.Should().Contain("--user-inputs: 'dense' has first dimension").And.Contain("fixed first dimension of 1");
        Directory.Exists(Path.Combine(_dir, "split")).Should().BeFalse("a rejected split writes nothing");
    }

    [Fact]
    public async Task Prune_FidelityBelowTheGate_ExitsOneNamingTheMetricAndWritesNothing()
    {
        var model = await BuildAsync("user-candidate");
        var output = Path.Combine(_dir, "pruned");

        var result = await RunAsync("optimize", "prune", "--sparsity", "0.99", "--in", model, "--out", output);

        result.ExitCode.Should().Be(1, result.Stderr);
        result.Stderr.Should().Contain("optimize prune: gate failed: top-10 agreement").And.Contain("is below 0.9500").And.Contain("--no-gate");
        result.Stdout.Should().NotContain("RecModel variants entry", "a refused model gets no entry to paste");
        Directory.Exists(output).Should().BeFalse();
    }

    [Fact]
    public async Task Prune_NoGate_WritesTheModelAnyway()
    {
        var model = await BuildAsync("user-candidate");

        var result = await RunAsync("optimize", "prune", "--sparsity", "0.99", "--no-gate", "--in", model, "--out", Path.Combine(_dir, "pruned"),
            "--fidelity-requests", "2", "--fidelity-candidates", "16");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain("RecModel variants entry");
    }

    [Fact]
    public async Task Quantize_FaithfulModel_PassesTheDefaultGate()
    {
        var model = await BuildAsync("user-candidate");

        var result = await RunAsync("optimize", "quantize", "--mode", "int8-dynamic", "--in", model, "--out", Path.Combine(_dir, "int8"));

        result.ExitCode.Should().Be(0, result.Stderr);
    }

    [Fact]
    public async Task Build_OneRow_ExitsZero()
    {
        var result = await RunAsync("optimize", "build", "--model", "dlrm-small", "--rows", "1", "--out", _dir);

        result.ExitCode.Should().Be(0, result.Stderr + result.Stdout);
    }

    [Fact]
    public async Task Build_TooManyRows_ExitsTwoNamingRowsAndLeavesNoFolder()
    {
        var output = Path.Combine(_dir, "huge");

        var result = await RunAsync("optimize", "build", "--model", "dlrm-v2", "--rows", "100000000", "--out", output);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("--rows must be between 1 and 1,000,000, got 100000000");
        Directory.Exists(output).Should().BeFalse();
    }

    [Fact]
    public async Task Crds_UnwritableOut_ExitsOneSayingItCannotWrite()
    {
        var result = await RunAsync("crds", "--out", "/proc/nope");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("crds: cannot write /proc/nope");
    }

    [Fact]
    public async Task Optimize_InIsADirectory_SaysSo()
    {
        var result = await RunAsync("optimize", "quantize", "--mode", "int8-dynamic", "--in", _dir, "--out", Path.Combine(_dir, "out"));

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain($"--in: '{_dir}' is a directory");
    }

    [Fact]
    public async Task Optimize_OutIsAFile_SaysSo()
    {
        var model = await BuildAsync("user-candidate");

        var result = await RunAsync("optimize", "quantize", "--mode", "int8-dynamic", "--in", model, "--out", model);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain($"--out: '{model}' is a file").And.NotContain(".staging-");
    }

    [Fact]
    public async Task Sim_ModelWithoutARecModel_NamesTheOption()
    {
        var result = await RunAsync("sim", "--trace", "step", "--model", "/etc/passwd");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("--model /etc/passwd: expected one RecModel document, found 0");
    }

    [Fact]
    public async Task Validate_Directory_SaysItIsADirectoryAndCountsNoResource()
    {
        var result = await RunAsync("validate", "-f", _dir);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain($"{_dir}: is a directory");
        result.Stdout.Should().NotContain("invalid of 0").And.Contain("1 file(s) not read");
    }

    [Theory]
    [InlineData("--max-batch-size: 'abc' is not an integer", "pod", "--max-batch-size", "abc")]
    [InlineData("--seed: 'x1' is not an integer", "sim", "--seed", "x1")]
    [InlineData("--sparsity: 'half' is not a number", "optimize", "prune", "--sparsity", "half")]
    public async Task NumericOption_NotANumber_NamesTheOptionNotTheClrType(string expected, params string[] args)
    {
        var result = await RunAsync(args);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain(expected).And.NotContain("System.");
    }

    [Fact]
    public async Task Sim_TraceAndTraceFile_ExitsTwoNamingBoth()
    {
        var file = Path.Combine(_dir, "t.csv");
        await File.WriteAllTextAsync(file, "time_s,qps\n0,100\n60,100\n");

        var result = await RunAsync("sim", "--trace", "step", "--trace-file", file);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("--trace and --trace-file");
    }

    [Fact]
    public async Task Sim_PoolEventForAnUnknownPool_ExitsTwoNamingThePool()
    {
        var file = Path.Combine(_dir, "t.csv");
        await File.WriteAllTextAsync(file, "time_s,qps,event\n0,100\n60,,pool-down:UNKNOWN\n120,100\n");

        var result = await RunAsync("sim", "--trace-file", file, "--json");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("pool 'UNKNOWN'");
    }

    private async Task<string> BuildAsync(string model)
    {
        var folder = Path.Combine(_dir, "models");
        var path = Path.Combine(folder, model + ".onnx");
        if (!File.Exists(path))
        {
            var build = await RecopProcess.RunAsync(RepoPaths.Root, "optimize", "build", "--model", model, "--out", folder);
            build.ExitCode.Should().Be(0, build.Stderr);
        }
        return path;
    }

    // Every run is also checked for the mark of an unhandled exception: a user's mistake never prints a stack trace.
    private static async Task<RecopProcess.Result> RunAsync(params string[] args)
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, args);
        result.Stderr.Should().NotContain("Unhandled exception").And.NotMatchRegex(@"\n\s+at [\w.]+\(");
        return result;
    }
}
