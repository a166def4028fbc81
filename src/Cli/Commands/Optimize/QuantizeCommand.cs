using System.CommandLine;
using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Quantization;
using RecOperator.Onnx;

namespace RecOperator.Cli.Commands.Optimize;

/// <summary><c>recop optimize quantize --mode M --in MODEL --out DIR</c>.</summary>
internal static class QuantizeCommand
{
    public static IReadOnlyList<string> Modes { get; } = ["int8-dynamic", "int8-static", "w8a16", "emb-int8"];

    public static Command Create()
    {
        var shared = new OptimizeOptions();
        var mode = new Option<string>("--mode")
        {
            Description = "int8-dynamic (int8 weights, run-time uint8 activations), int8-static (QDQ, calibrated activations), w8a16 (int8 weights only), emb-int8 (int8 embedding rows)",
            Required = true,
        };
        var calibration = new Option<string?>("--calibration") { Description = "int8-static: minmax (default) or percentile" };
        var percentile = new Option<double?>("--percentile") { Description = "int8-static with --calibration percentile: e.g. 99.99 (default)" };
        var calibrationRequests = new Option<int>("--calibration-requests") { Description = "int8-static: seeded synthetic sample requests", DefaultValueFactory = _ => 16 };
        var calibrationData = new Option<FileInfo?>("--calibration-data")
        {
            Description = "int8-static: calibrate on the requests of this JSON Lines file (the verify --dataset format, docs/optimizer.md) instead of synthetic ones",
        };
        var command = new Command("quantize", "Quantize a model to int8 and write it with its manifest") { mode, calibration, percentile, calibrationRequests, calibrationData };
        shared.AddTo(command);
        command.SetAction((parse, ct) => OptimizeCommandRunner.RunAsync(parse, "quantize", async () =>
        {
            var chosen = parse.GetValue(mode)!;
            var method = parse.GetValue(calibration);
            var dataFile = parse.GetValue(calibrationData);
            if (chosen != "int8-static" && (method is not null || parse.GetValue(percentile) is not null || dataFile is not null
                || parse.GetResult(calibrationRequests) is { Implicit: false }))
            {
                throw new ModelRejectedException($"--calibration, --percentile, --calibration-requests and --calibration-data apply to --mode int8-static only, not {chosen}");
            }
            if (dataFile is not null && parse.GetResult(calibrationRequests) is { Implicit: false })
            {
                throw new ModelRejectedException("--calibration-requests sets the number of synthetic requests; with --calibration-data the requests come from the file, leave it out");
            }
            if (method is not (null or "minmax" or "percentile") || (method != "percentile" && parse.GetValue(percentile) is not null))
            {
                throw new ModelRejectedException("--calibration must be minmax or percentile, and --percentile needs --calibration percentile");
            }
            var options = shared.Read(parse);
            // The whole calibration file is checked against the model's inputs before anything is written.
            var data = dataFile is null ? null
                : await CalibrationSet.FromFileAsync(dataFile.FullName, InputSpecs.Of(ModelInput.Read(options.InputPath)), ct).ConfigureAwait(false);
            IModelTransform transform = chosen == "int8-static"
                ? new StaticInt8Transform(OrtEngine.Create(), parse.GetValue(calibrationRequests), 64, method == "percentile" ? parse.GetValue(percentile) ?? 99.99 : null, data)
                : Transform(chosen);
            return await OptimizeCommandRunner.TransformAsync(parse, transform, options, ct).ConfigureAwait(false);
        }));
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
