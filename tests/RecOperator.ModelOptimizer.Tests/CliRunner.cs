using System.CommandLine;
using RecOperator.Cli;

namespace RecOperator.ModelOptimizer.Tests;

/// <summary>Runs `recop` in process, as the shell would, capturing its exit code, standard output and standard error.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await RecopCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Pastes the `variants` entry a command printed into a RecModel, as its docs tell a person to, and runs
    /// `recop validate` on the file: the project's own schema and cross-field validation of RecModels.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> ValidatePastedVariantAsync(string commandOutput, string folder)
    {
        const string marker = "RecModel variants entry:\n";
        var start = commandOutput.IndexOf(marker, StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, "every optimize command prints a variants entry");
        var entry = commandOutput[(start + marker.Length)..];
        var indented = string.Concat(entry.Split('\n').Where(l => l.Length > 0).Select(l => "  " + l + "\n"));
        var document = "apiVersion: serving.recoperator.io/v1alpha1\nkind: RecModel\nmetadata:\n  name: pasted\n  namespace: default\n"
            + "spec:\n  slo:\n    p99LatencyMs: 25\n" + indented;
        var path = Path.Combine(folder, "pasted-recmodel.yaml");
        await File.WriteAllTextAsync(path, document);
        var (exitCode, output, error) = await RunAsync("validate", "-f", path);
        return (exitCode, output + error + "\n--- validated document:\n" + document);
    }
}
