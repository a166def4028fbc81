using System.CommandLine;
using RecOperator.Crds.Manifests;

namespace RecOperator.Cli.Commands;

/// <summary><c>recop validate -f FILE...</c>: checks RecModel and NodePool manifests without a cluster.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Option<string[]>("--filename", "-f")
        {
            Description = "YAML or JSON manifest files (multi-document YAML is fine); repeat -f or list several",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("validate", "Validate RecModel and NodePool manifests: prints every error with its file and field path; other kinds in the files (a Namespace, a Secret) are skipped; exit code 1 when anything is invalid")
        {
            files,
        };
        command.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(files)!, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct).ConfigureAwait(false));
        return command;
    }

    internal static async Task<int> RunAsync(IReadOnlyList<string> files, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var invalid = 0;
        var total = 0;
        var skipped = 0;
        var unread = 0;
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                // A folder is a usual slip (validate -f manifests/samples): say so rather than "no such file".
                await error.WriteLineAsync(Directory.Exists(file) ? $"{file}: is a directory; give the manifest files (e.g. {Path.Combine(file, "*.yaml")})" : $"{file}: no such file").ConfigureAwait(false);
                unread++;
                continue;
            }

            var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            foreach (var result in ManifestChecker.Check(file, text))
            {
                if (result.Skipped)
                {
                    skipped++;
                    await output.WriteLineAsync($"{file}: {result.Resource}: skipped (not a RecModel or NodePool)").ConfigureAwait(false);
                    continue;
                }

                total++;
                if (result.IsValid)
                {
                    await output.WriteLineAsync($"{file}: {result.Resource}: valid").ConfigureAwait(false);
                    continue;
                }

                invalid++;
                foreach (var fieldError in result.Errors)
                {
                    await error.WriteLineAsync($"{file}: {result.Resource}: {fieldError}").ConfigureAwait(false);
                }
            }
        }

        var others = skipped == 0 ? "" : $"; {skipped} other document(s) skipped";
        // Files that could not be read are counted apart: they are not resources, valid or invalid.
        var notRead = unread == 0 ? "" : $"; {unread} file(s) not read";
        await output.WriteLineAsync((invalid == 0 ? $"{total} resource(s) valid" : $"{invalid} invalid of {total} resource(s)") + others + notRead).ConfigureAwait(false);
        return invalid == 0 && unread == 0 ? 0 : 1;
    }
}
