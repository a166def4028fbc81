using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Quantization;

/// <summary>
/// Observes activation ranges for static quantization: the tensors to calibrate become extra graph outputs of a copy
/// of the model, which scores the calibration requests (seeded synthetic ones, or a data file's) in ONNX Runtime; each
/// tensor's range is its min/max, or the given lower/upper percentiles of its values (which ignores rare outliers that
/// would waste int8 resolution).
/// </summary>
public static class ActivationCalibrator
{
    public static IReadOnlyDictionary<string, (float Min, float Max)> Ranges(ModelProto model, IReadOnlyCollection<string> tensors, IInferenceEngine engine,
        IReadOnlyList<LabeledRequest> requests, double? percentile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(requests);
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
            foreach (var (request, _, where) in requests)
            {
                var inputs = session.Inputs.Select(i => new NamedTensor(i.Name, request.Tensor(i.Name, i.ElementType))).ToList();
                IReadOnlyList<NamedTensor> results;
                try
                {
                    results = session.Run(inputs, cancellationToken);
                }
                catch (OrtException error)
                {
                    // A data-file line the model cannot run (an id beyond its table) is bad input, named by its line.
                    throw new ModelRejectedException($"{where}: the model cannot score this request ({error.Message})", error);
                }
                foreach (var output in results)
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

    /// <summary>
    /// The calibrated range of one tensor's observed values: min and max, or with <paramref name="percentile"/> p the
    /// values at the (100 − p)th and pth percentiles, so a few outliers do not stretch the range every value shares.
    /// </summary>
    public static (float Min, float Max) Range(IReadOnlyCollection<float> values, double? percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return (0, 0);
        }
        if (percentile is not { } p)
        {
            return (values.Min(), values.Max());
        }
        var sorted = values.Order().ToArray();
        var high = sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p / 100 * sorted.Length) - 1)];
        var low = sorted[(int)Math.Max(0, Math.Floor((1 - (p / 100)) * sorted.Length))];
        return (low, high);
    }
}
