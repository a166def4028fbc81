using System.Diagnostics;
using Google.Protobuf;
using RecOperator.InferencePod.Configuration;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.InferencePod.Model;

/// <summary>Loads an artifact into the engine with the configured provider and threads, then warms it up.</summary>
public static class ModelLoader
{
    public const string UserInputsKey = "recoperator.user_inputs";

    public static ServedModel Load(IInferenceEngine engine, string path, PodOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        var proto = OnnxModelFiles.Read(path, loadExternalData: false);
        var userInputs = proto.MetadataProps.FirstOrDefault(p => p.Key == UserInputsKey)?.Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            ?? [];
        var sessionOptions = new InferenceSessionOptions
        {
            IntraOpThreads = options.IntraOpThreads,
            ExecutionProviders = string.Equals(options.ExecutionProvider, "CPU", StringComparison.OrdinalIgnoreCase)
                ? [] : [new ExecutionProviderRequest(options.ExecutionProvider)],
        };
        var declared = engine.Load(path, sessionOptions);
        var tile = !options.UserSideReuse && userInputs.Count > 0;
        if (!tile)
        {
            return Warm(new ServedModel(options.ModelName, options.Variant, declared, declared.Inputs, userInputs, false), options, cancellationToken);
        }
        // Reuse off: the same graph with user inputs of dynamic batch, so tiled user rows (and different users) can share a call.
        var inputs = declared.Inputs;
        declared.Dispose();
        var full = OnnxModelFiles.Read(path);
        foreach (var input in full.Graph.Input.Where(i => userInputs.Contains(i.Name)))
        {
            var first = input.Type.TensorType.Shape.Dim[0];
            first.DimParam = "candidates";
        }
        var tiled = engine.Load(full.ToByteArray(), sessionOptions);
        return Warm(new ServedModel(options.ModelName, options.Variant, tiled, inputs, userInputs, true), options, cancellationToken);
    }

    /// <summary>Runs synthetic zero inputs (one row per batch dimension) so first requests do not pay for lazy set-up.</summary>
    private static ServedModel Warm(ServedModel model, PodOptions options, CancellationToken cancellationToken)
    {
        try
        {
            for (var run = 0; run < options.WarmupRuns; run++)
            {
                var inputs = model.Session.Inputs.Select(i =>
                    new NamedTensor(i.Name, TensorBuffer.Allocate(i.ElementType, i.Dimensions.Select(d => d < 0 ? 1L : d).ToArray()))).ToArray();
                foreach (var output in model.Session.Run(inputs, cancellationToken))
                {
                    output.Tensor.Dispose();
                }
                foreach (var input in inputs)
                {
                    input.Tensor.Dispose();
                }
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Seconds since <paramref name="start"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static double SecondsSince(long start) => Stopwatch.GetElapsedTime(start).TotalSeconds;
}
