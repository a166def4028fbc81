using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Quantization;

/// <summary>
/// Observes activation ranges for static quantization: the tensors to calibrate become extra graph outputs of a copy
/// of the model, which scores seeded sample requests in ONNX Runtime; each tensor's range is its min/max, or the
/// given lower/upper percentiles of its values (which ignores rare outliers that would waste int8 resolution).
/// </summary>
public static class ActivationCalibrator
{
    public static IReadOnlyDictionary<string, (float Min, float Max)> Ranges(ModelProto model, IReadOnlyCollection<string> tensors, IInferenceEngine engine,
        int requests, int candidates, double? percentile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(engine);
        var probe = model.Clone();
        var outputs = probe.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in tensors.Where(t => !outputs.Contains(t)))
        {
            probe.Graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        }
        var path = Path.Combine(Path.GetTempPath(), "recop-calibration-" + Guid.NewGuid().ToString("N") + ".onnx");
        var values = tensors.ToDictionary(t => t, _ => new List<float>(), StringComparer.Ordinal);
        try
        {
            OnnxModelFiles.Write(probe, path);
            using var session = engine.Load(path);
            var specs = InputSpecs.Of(model);
            var random = new DeterministicRandom(0xCA11B);
            for (var r = 0; r < requests; r++)
            {
                var request = SyntheticRequest.Create(specs, candidates, random);
                var inputs = session.Inputs.Select(i => new NamedTensor(i.Name, request.Tensor(i.Name, i.ElementType))).ToList();
                foreach (var output in session.Run(inputs, cancellationToken))
                {
                    if (values.TryGetValue(output.Name, out var list) && output.Tensor is TensorBuffer<float> f)
                    {
                        list.AddRange(f.Span.ToArray());
                    }
                    output.Tensor.Dispose();
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
        return values.ToDictionary(v => v.Key, v => Range(v.Value, percentile), StringComparer.Ordinal);
    }

    private static (float Min, float Max) Range(List<float> values, double? percentile)
    {
        if (values.Count == 0)
        {
            return (0, 0);
        }
        if (percentile is not { } p)
        {
            return (values.Min(), values.Max());
        }
        values.Sort();
        var high = values[(int)Math.Min(values.Count - 1, Math.Ceiling(p / 100 * values.Count) - 1)];
        var low = values[(int)Math.Max(0, Math.Floor((1 - (p / 100)) * values.Count))];
        return (low, high);
    }
}
