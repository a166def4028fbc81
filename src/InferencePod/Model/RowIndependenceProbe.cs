using System.Globalization;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Model;

/// <summary>
/// Decides at load time whether the pod may treat the first dimension as independent rows: joining requests and
/// cutting outputs back by row offsets is only correct for a row-wise graph. A listwise graph (Softmax over
/// candidates, TopK, attention across the batch) gives every request a wrong answer when joined, and an output whose
/// first dimension is not the row count cannot be pre-allocated or split at all. The probe runs a few distinct rows
/// together and each row alone: every output must have one row per input row, and each row's outputs must match.
/// </summary>
internal static class RowIndependenceProbe
{
    private const int Rows = 3;

    // Wide enough for fp16 and int8 variants, whose kernels change slightly with the batch; a graph that mixes rows
    // moves its answers by far more (a Softmax over 3 rows by about a factor of 3).
    private const float Tolerance = 1e-2f;

    // Dynamic quantization (DynamicQuantizeLinear) takes one scale from the whole batch, so a row's answer moves with
    // the rows beside it: 4% on dlrm-small int8-dynamic's score. That is the variant's known accuracy trade (its fidelity
    // is measured batched), not a listwise graph, and such variants are served batched everywhere: distinct rows get
    // this wider bound, and identical rows (one range, so one scale) the tight one, which a Softmax across rows fails.
    private const float BatchQuantizedTolerance = 0.1f;

    /// <summary>The ONNX operators whose quantization scale is computed over the whole batch at run time.</summary>
    public static readonly IReadOnlySet<string> BatchQuantizingOperators = new HashSet<string>(StringComparer.Ordinal)
    {
        "DynamicQuantizeLinear", "DynamicQuantizeMatMul", "MatMulInteger", "ConvInteger", "DynamicQuantizeLSTM",
    };

    /// <summary>Null when every output is row-wise; otherwise why not, naming the output.</summary>
    /// <param name="batchQuantized">The graph quantizes activations with a range taken over the batch (<see cref="BatchQuantizingOperators"/>).</param>
    public static string? FindRowMixing(IInferenceSession session, CancellationToken cancellationToken, bool batchQuantized = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        var random = new Random(29);
        var rows = session.Inputs.Select(i => ProbeRows.Fill(i, Rows, random)).ToArray();
        try
        {
            return (batchQuantized ? Compare(session, [.. rows.Select(r => ProbeRows.Slice(r, true, 0, Rows))], Tolerance, cancellationToken) : null)
                ?? Compare(session, rows, batchQuantized ? BatchQuantizedTolerance : Tolerance, cancellationToken);
        }
        catch (Exception error) when (error is OrtException or InferenceInputException or NotSupportedException)
        {
            return $"the model failed on a batch of probe rows: {error.Message}";
        }
    }

    private static string? Compare(IInferenceSession session, (float[] Data, long Width)[] rows, float tolerance, CancellationToken cancellationToken)
    {
        var together = Run(session, rows, 0, Rows, cancellationToken);
        if (NotRowWise(session, together, Rows) is { } batchShape)
        {
            return batchShape;
        }
        for (var r = 0; r < Rows; r++)
        {
            var alone = Run(session, rows, r, 1, cancellationToken);
            if (NotRowWise(session, alone, 1) is { } rowShape)
            {
                return rowShape;
            }
            for (var o = 0; o < together.Length; o++)
            {
                var width = alone[o].Values.Length;
                var joined = together[o].Values.AsSpan(r * width, width);
                for (var i = 0; i < width; i++)
                {
                    if (!Alike(joined[i], alone[o].Values[i], tolerance))
                    {
                        return string.Create(CultureInfo.InvariantCulture,
                            $"output '{session.Outputs[o].Name}' of row {r} is {joined[i]} in a batch of {Rows} rows but {alone[o].Values[i]} alone: the model mixes rows");
                    }
                }
            }
        }
        return null;
    }

    private static string? NotRowWise(IInferenceSession session, (long[] Shape, float[] Values)[] outputs, int rows)
    {
        for (var o = 0; o < outputs.Length; o++)
        {
            if (outputs[o].Shape.Length == 0 || outputs[o].Shape[0] != rows)
            {
                return $"output '{session.Outputs[o].Name}' has shape [{string.Join(", ", outputs[o].Shape)}] for {rows} input rows: its first dimension is not the row count";
            }
        }
        return null;
    }

    private static bool Alike(float joined, float alone, float tolerance) =>
        joined.Equals(alone) || MathF.Abs(joined - alone) <= tolerance * MathF.Max(1f, MathF.Abs(alone));

    /// <summary>Rows [from, from + count) of every input in one engine call.</summary>
    private static (long[] Shape, float[] Values)[] Run(IInferenceSession session, (float[] Data, long Width)[] rows, int from, int count, CancellationToken cancellationToken)
    {
        var byName = session.Inputs.Select((input, n) => (input.Name, Rows: rows[n])).ToDictionary(p => p.Name, p => p.Rows, StringComparer.Ordinal);
        return ProbeRows.Run(session, input => ProbeRows.Slice(byName[input.Name], false, from, count).Data, cancellationToken);
    }
}
