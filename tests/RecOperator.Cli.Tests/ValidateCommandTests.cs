using RecOperator.Cli;
using RecOperator.Tests.Shared;

namespace RecOperator.Cli.Tests;

/// <summary><c>recop validate</c> as a process: exit codes and messages with file and field path.</summary>
public sealed class ValidateCommandTests
{
    private static readonly string InvalidFolder = RepoPaths.Combine("tests", "RecOperator.Crds.Tests", "testassets", "invalid");

    [Fact]
    public async Task Validate_Samples_ExitsZero()
    {
        var samples = Directory.GetFiles(RepoPaths.Combine("manifests", "samples"), "*.yaml");

        var result = await RecopProcess.RunAsync(RepoPaths.Root, ["validate", "-f", .. samples]);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain("RecModel default/ranking-ctr: valid").And.Contain("4 resource(s) valid");
    }

    [Fact]
    public async Task Validate_InvalidSpec_ExitsOneWithFileAndFieldPath()
    {
        var file = Path.Combine("tests", "RecOperator.Crds.Tests", "testassets", "invalid", "replicas-min-above-max.yaml");

        var result = await RecopProcess.RunAsync(RepoPaths.Root, "validate", "-f", file);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain($"{file}: RecModel default/ranking: spec.variants[1].replicas: min (3) must be <= max (2)");
    }

    public static TheoryData<string> InvalidCases() =>
        new(Directory.GetFiles(InvalidFolder, "*.yaml").Order().Select(Path.GetFileNameWithoutExtension).OfType<string>());

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public async Task Validate_EveryInvalidCase_ExitsOneWithEveryExpectedErrorOnStderr(string name)
    {
        var file = Path.Combine(InvalidFolder, name + ".yaml");
        var expected = File.ReadAllLines(Path.Combine(InvalidFolder, name + ".errors")).Where(l => l.Length > 0).ToList();

        var result = await RecopProcess.RunAsync(RepoPaths.Root, "validate", "-f", file);

        result.ExitCode.Should().Be(1, result.Stderr);
        var errorLines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        errorLines.Should().HaveCount(expected.Count, result.Stderr);
        foreach (var line in expected)
        {
            // Each line reads FILE: KIND NAMESPACE/NAME: FIELD: REASON, so a person can find the file and the field.
            errorLines.Should().Contain(l => l.StartsWith(file + ": ", StringComparison.Ordinal) && l.EndsWith(": " + line, StringComparison.Ordinal),
                $"stderr must report \"{line}\" for {name}.yaml");
        }

        result.Stdout.Should().Contain("1 invalid of 1 resource(s)");
    }

    [Fact]
    public async Task Validate_OtherKindsBesideTheResources_SkippedButAWrongApiVersionIsNot()
    {
        var dir = Directory.CreateTempSubdirectory("recop-validate-").FullName;
        try
        {
            var sample = await File.ReadAllTextAsync(RepoPaths.Combine("manifests", "samples", "recmodel-ranking.yaml"));
            var withNamespace = Path.Combine(dir, "with-namespace.yaml");
            await File.WriteAllTextAsync(withNamespace, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n" + sample);
            var wrongVersion = Path.Combine(dir, "wrong-version.yaml");
            await File.WriteAllTextAsync(wrongVersion, sample.Replace("serving.recoperator.io/v1alpha1", "serving.recoperator.io/v1", StringComparison.Ordinal));

            var fine = await RecopProcess.RunAsync(RepoPaths.Root, "validate", "-f", withNamespace);
            var wrong = await RecopProcess.RunAsync(RepoPaths.Root, "validate", "-f", wrongVersion);

            fine.ExitCode.Should().Be(0, fine.Stderr);
            fine.Stdout.Should().Contain("Namespace shop: skipped (not a RecModel or NodePool)").And.Contain("1 resource(s) valid; 1 other document(s) skipped");
            wrong.ExitCode.Should().Be(1);
            wrong.Stderr.Should().Contain("apiVersion: must be serving.recoperator.io/v1alpha1 (got \"serving.recoperator.io/v1\")");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Validate_ValidAndInvalidTogether_ExitsOneAndReportsBoth()
    {
        var valid = RepoPaths.Combine("manifests", "samples", "nodepools.yaml");
        var invalid = RepoPaths.Combine("tests", "RecOperator.Crds.Tests", "testassets", "invalid", "nodepool-invalid.yaml");

        var result = await RecopProcess.RunAsync(RepoPaths.Root, "validate", "-f", valid, "-f", invalid);

        result.ExitCode.Should().Be(1);
        result.Stdout.Should().Contain("NodePool gpu: valid");
        result.Stderr.Should().Contain("spec.costPerReplicaHour: must be >= 0 (got -1)");
        result.Stdout.Should().Contain("1 invalid of 4 resource(s)");
    }

    [Fact]
    public async Task Validate_MissingOrUnreadableFile_ExitsOneNamingIt()
    {
        var dir = Directory.CreateTempSubdirectory("recop-validate-").FullName;
        try
        {
            var broken = Path.Combine(dir, "broken.yaml");
            await File.WriteAllTextAsync(broken, "spec: [unclosed\n");

            var result = await RecopProcess.RunAsync(dir, "validate", "-f", broken, "-f", "absent.yaml");

            result.ExitCode.Should().Be(1);
            result.Stderr.Should().Contain($"{broken}: (unreadable): (yaml): line").And.Contain("absent.yaml: no such file");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("crds", "--no-such-flag")]
    [InlineData("optimize", "quantize", "--mode", "int8-dynamic")]
    public async Task UsageError_ExitsTwoNamingTheProblem(params string[] args)
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, args);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().StartWith("recop: ").And.Contain("see --help");
    }

    [Fact]
    public async Task Help_ListsEverySubcommandOfTheRootCommand()
    {
        var names = RecopCommand.Create().Subcommands.Select(c => c.Name).ToList();

        var result = await RecopProcess.RunAsync(RepoPaths.Root, "--help");

        result.ExitCode.Should().Be(0);
        names.Should().Contain(["validate", "crds", "devcluster", "operator", "pod", "optimize", "demo", "sim", "bench"]);
        var commandLines = result.Stdout.Split('\n').Select(l => l.Trim()).ToList();
        foreach (var name in names)
        {
            commandLines.Should().Contain(l => l.StartsWith(name + " ", StringComparison.Ordinal), $"--help must list the subcommand {name}");
        }
    }

    [Fact]
    public async Task Crds_OutDirectory_WritesTheCommittedFiles()
    {
        var dir = Directory.CreateTempSubdirectory("recop-crds-").FullName;
        try
        {
            var result = await RecopProcess.RunAsync(RepoPaths.Root, "crds", "--out", dir);

            result.ExitCode.Should().Be(0, result.Stderr);
            foreach (var committed in Directory.GetFiles(RepoPaths.Combine("manifests", "crds")))
            {
                File.ReadAllText(Path.Combine(dir, Path.GetFileName(committed))).Should().Be(File.ReadAllText(committed));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
