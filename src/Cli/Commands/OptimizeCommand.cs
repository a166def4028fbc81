using System.CommandLine;
using System.Globalization;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.Cli.Commands;

/// <summary><c>recop optimize build --model NAME --out DIR</c>: writes a deterministic reference recommendation model.</summary>
internal static class OptimizeCommand
{
    public static Command Create() => new("optimize", "Build and optimize recommendation models (ONNX)")
    {
        CreateBuild(),
        Optimize.QuantizeCommand.Create(),
        Optimize.Fp16Command.Create(),
        Optimize.PruneCommand.Create(),
        Optimize.ProfileCommand.Create(),
        Optimize.SplitCommand.Create(),
        Optimize.VerifyCommand.Create(),
    };

    private static Command CreateBuild()
    {
        var model = new Option<string>("--model")
        {
            Description = $"Reference model to build: {string.Join(", ", ReferenceModelCatalog.Names)}",
            Required = true,
        };
        model.AcceptOnlyFromAmong([.. ReferenceModelCatalog.Names]);
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write <model>.onnx into", Required = true };
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seed that fixes every weight (same seed, same bytes)",
            DefaultValueFactory = _ => ReferenceModelCatalog.DefaultSeed,
        };
        var rows = new Option<int?>("--rows")
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"Rows per embedding table, 1 to {ReferenceModelCatalog.MaxRows:N0} (default: the model's own)"),
        };
        var command = new Command("build", "Build a reference model (dlrm-small, dlrm-v2, user-candidate) and check it in ONNX Runtime")
        {
            model, output, seed, rows,
        };
        command.SetAction(async (parse, ct) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var rowCount = parse.GetValue(rows);
            // Checked before anything is written, so a bad value leaves no folder behind.
            if (rowCount is < 1 or > ReferenceModelCatalog.MaxRows)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"optimize build: --rows must be between 1 and {ReferenceModelCatalog.MaxRows:N0}, got {rowCount}")).ConfigureAwait(false);
                return 2;
            }
            var reference = ReferenceModelCatalog.Create(parse.GetValue(model)!, parse.GetValue(seed), rowCount);
            BuiltModel built;
            try
            {
                built = await ReferenceModelBuilder.BuildAsync(reference, parse.GetValue(output)!.FullName, OrtEngine.Create(), ct).ConfigureAwait(false);
            }
            catch (Exception error) when (error is OrtLibraryNotFoundException or OrtException or IOException or UnauthorizedAccessException)
            {
                // Expected failures (engine not installed, folder not writable) read as one line, not a stack trace.
                await parse.InvocationConfiguration.Error.WriteLineAsync($"optimize build: {error.Message}").ConfigureAwait(false);
                return 1;
            }
            await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"wrote {built.Path} ({built.Bytes:N0} bytes, {built.Inputs} inputs, sha256 {built.Sha256})")).ConfigureAwait(false);
            await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"ONNX Runtime vs C# reference math: max abs difference {built.MaxAbsDifference:E2}")).ConfigureAwait(false);
            if (!built.MatchesReference)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"optimize build: ONNX Runtime's scores differ from the C# reference math by more than {ReferenceModelBuilder.AbsoluteTolerance:G} + {ReferenceModelBuilder.RelativeTolerance:G} x |score|: the written model is not trustworthy")).ConfigureAwait(false);
                return 1;
            }
            return 0;
        });
        return command;
    }
}
