using System.CommandLine;
using RecOperator.Crds.Generation;

namespace RecOperator.Cli.Commands;

/// <summary><c>recop crds --out DIR</c>: writes the CustomResourceDefinitions generated from the C# types.</summary>
internal static class CrdsCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Directory to write the CRD YAML files into (manifests/crds in this repository)",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("manifests", "crds")),
        };
        var reference = new Option<FileInfo?>("--reference")
        {
            Description = "Also write the field reference (markdown: types, defaults, constraints) to this file, e.g. docs/crd-reference.md",
        };
        var command = new Command("crds", "Generate the RecModel and NodePool CustomResourceDefinitions (apiextensions.k8s.io/v1) from the C# types")
        {
            output,
            reference,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await WriteAsync(parse, output, reference, ct).ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // An unwritable --out or --reference is the user's to fix: one line naming the path, not a stack trace.
                await parse.InvocationConfiguration.Error.WriteLineAsync($"crds: cannot write {parse.GetValue(output)!.FullName}: {error.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> WriteAsync(ParseResult parse, Option<DirectoryInfo> output, Option<FileInfo?> reference, CancellationToken ct)
    {
        foreach (var path in await CrdGenerator.WriteAllAsync(parse.GetValue(output)!.FullName, ct).ConfigureAwait(false))
        {
            await parse.InvocationConfiguration.Output.WriteLineAsync($"wrote {path}").ConfigureAwait(false);
        }

        if (parse.GetValue(reference) is { } file)
        {
            await File.WriteAllTextAsync(file.FullName, CrdReferenceWriter.ToMarkdown(CustomResources.All), ct).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"wrote {file.FullName}").ConfigureAwait(false);
        }

        return 0;
    }
}
