using System.CommandLine;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Quantization;

namespace RecOperator.Cli.Commands.Optimize;

/// <summary><c>recop optimize quantize --mode M --in MODEL --out DIR</c>.</summary>
internal static class QuantizeCommand
{
    public static IReadOnlyList<string> Modes { get; } = ["int8-dynamic", "w8a16", "emb-int8"];

    public static Command Create()
    {
        var shared = new OptimizeOptions();
        var mode = new Option<string>("--mode")
        {
            Description = "int8-dynamic (int8 weights, run-time uint8 activations), w8a16 (int8 weights only), emb-int8 (int8 embedding rows)",
            Required = true,
        };
        var command = new Command("quantize", "Quantize a model to int8 and write it with its manifest") { mode };
        shared.AddTo(command);
        command.SetAction((parse, ct) => OptimizeCommandRunner.RunAsync(parse, "quantize", () =>
            OptimizeCommandRunner.TransformAsync(parse, Transform(parse.GetValue(mode)!), shared.Read(parse), ct)));
        return command;
    }

    public static IModelTransform Transform(string mode) => mode switch
    {
        "int8-dynamic" => new DynamicInt8Transform(),
        "w8a16" => new WeightOnlyInt8Transform(),
        "emb-int8" => new EmbeddingInt8Transform(),
        _ => throw new ModelRejectedException($"--mode: '{mode}' is not supported; choose one of {string.Join(", ", Modes)}"),
    };
}
