using System.CommandLine;
using RecOperator.ModelOptimizer.Split;
using RecOperator.Onnx;

namespace RecOperator.Cli.Commands.Optimize;

/// <summary><c>recop optimize split --user-inputs a,b --in MODEL --out DIR</c>: user model + candidate model.</summary>
internal static class SplitCommand
{
    public static Command Create()
    {
        var shared = new OptimizeOptions();
        var userInputs = new Option<string>("--user-inputs") { Description = "Comma-separated user-side inputs", Required = true };
        var command = new Command("split", "Split a model into a user model (once per request) and a candidate model") { userInputs };
        shared.AddTo(command);
        command.SetAction((parse, ct) => OptimizeCommandRunner.RunAsync(parse, "split", async () =>
        {
            var names = parse.GetValue(userInputs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var result = await SplitPipeline.RunAsync(names, shared.Read(parse), OrtEngine.Create(), ct).ConfigureAwait(false);
            return await OptimizeCommandRunner.PrintAsync(parse, result).ConfigureAwait(false);
        }));
        return command;
    }
}
