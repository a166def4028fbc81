using System.CommandLine;
using RecOperator.ModelOptimizer.Fp16;

namespace RecOperator.Cli.Commands.Optimize;

/// <summary><c>recop optimize fp16 --in MODEL --out DIR [--keep-io-fp32] [--block-ops A,B]</c>.</summary>
internal static class Fp16Command
{
    public static Command Create()
    {
        var shared = new OptimizeOptions();
        var keepIo = new Option<bool>("--keep-io-fp32") { Description = "Keep float32 inputs and outputs (Casts at the edges)" };
        var blockOps = new Option<string>("--block-ops") { Description = "Comma-separated op types that stay float32, e.g. ReduceMean,Sigmoid" };
        var command = new Command("fp16", "Convert weights and compute to float16 for GPU variants") { keepIo, blockOps };
        shared.AddTo(command);
        command.SetAction((parse, ct) => OptimizeCommandRunner.RunAsync(parse, "fp16", () =>
        {
            var blocked = (parse.GetValue(blockOps) ?? string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            return OptimizeCommandRunner.TransformAsync(parse, new Fp16Transform(parse.GetValue(keepIo), blocked), shared.Read(parse), ct);
        }));
        return command;
    }
}
