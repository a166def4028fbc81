using RecOperator.InferencePod.Batching;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Model;

/// <summary>
/// Decides at load time whether a split candidate model may batch requests of different users: it scores two users
/// separately ([1, width] user rows, broadcast by the graph) and together (each user row repeated per candidate), and
/// allows joining only when both give the same scores. A graph that mixes rows (a MatMul over the candidate axis,
/// say) fails the probe and is served one request per call, which is always correct.
/// </summary>
internal static class SplitTilingProbe
{
    private const int FirstUserRows = 2;
    private const int SecondUserRows = 1;

    public static bool TiledRowsScoreAlike(IInferenceSession candidate, IReadOnlyList<string> userOutputs, CancellationToken cancellationToken)
    {
        try
        {
            var random = new Random(17);
            var users = candidate.Inputs.Where(i => userOutputs.Contains(i.Name))
                .ToDictionary(i => i.Name, i => (First: Fill(i, 1, random), Second: Fill(i, 1, random)), StringComparer.Ordinal);
            var candidates = candidate.Inputs.Where(i => !userOutputs.Contains(i.Name))
                .ToDictionary(i => i.Name, i => Fill(i, FirstUserRows + SecondUserRows, random), StringComparer.Ordinal);
            // Apart: each user's row as the pod sends it without joining, [1, width].
            var first = Run(candidate, n => users.TryGetValue(n, out var u) ? u.First.Data : Rows(candidates[n], false, 0, FirstUserRows).Data, cancellationToken);
            var second = Run(candidate, n => users.TryGetValue(n, out var u) ? u.Second.Data : Rows(candidates[n], false, FirstUserRows, SecondUserRows).Data, cancellationToken);
            // Joined: both requests in one call, each user row repeated once per candidate of its request.
            var joined = Run(candidate, n => users.TryGetValue(n, out var u)
                ? [.. Rows(u.First, true, 0, FirstUserRows).Data, .. Rows(u.Second, true, 0, SecondUserRows).Data]
                : Rows(candidates[n], false, 0, FirstUserRows + SecondUserRows).Data, cancellationToken);
            return joined.Length == first.Length && Enumerable.Range(0, joined.Length).All(o => Alike(joined[o], [.. first[o], .. second[o]]));
        }
        catch (OrtException)
        {
            return false;
        }
        catch (InferenceInputException)
        {
            return false;
        }
    }

    private static (float[] Data, long Width) Fill(TensorMetadata input, int rows, Random random)
    {
        var width = input.Dimensions.Skip(1).Aggregate(1L, (count, d) => count * (d < 0 ? 1 : d));
        // Ids stay 0 (a valid row of every table); floats are drawn so different users really differ.
        var data = new float[rows * width];
        if (input.ElementType == TensorElementType.Float)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (float)(random.NextDouble() * 2 - 1);
            }
        }
        return (data, width);
    }

    /// <summary>Rows [from, from + count) of a filled input, or its first row repeated count times.</summary>
    private static (float[] Data, long Width) Rows((float[] Data, long Width) filled, bool repeatFirst, int from, int count)
    {
        var data = new float[count * filled.Width];
        for (var r = 0; r < count; r++)
        {
            var source = repeatFirst ? 0 : from + r;
            filled.Data.AsSpan((int)(source * filled.Width), (int)filled.Width).CopyTo(data.AsSpan((int)(r * filled.Width)));
        }
        return (data, filled.Width);
    }

    private static bool Alike(float[] actual, float[] expected) =>
        actual.Length == expected.Length && actual.Zip(expected).All(p => MathF.Abs(p.First - p.Second) <= 1e-5f * Math.Max(1f, MathF.Abs(p.Second)));

    /// <summary>Every output of one run, as floats (non-float outputs byte by byte, compared exactly all the same).</summary>
    private static float[][] Run(IInferenceSession session, Func<string, float[]> rowsOf, CancellationToken cancellationToken)
    {
        var inputs = new List<NamedTensor>();
        try
        {
            foreach (var input in session.Inputs)
            {
                var values = rowsOf(input.Name);
                var width = input.Dimensions.Skip(1).Aggregate(1L, (count, d) => count * (d < 0 ? 1 : d));
                long[] shape = [values.Length / width, .. input.Dimensions.Skip(1).Select(d => d < 0 ? 1L : d)];
                var buffer = TensorBuffer.Allocate(input.ElementType, shape);
                inputs.Add(new NamedTensor(input.Name, buffer));
                Write(buffer, values);
            }
            var outputs = session.Run(inputs, cancellationToken);
            try
            {
                return outputs.Select(o => o.Tensor is TensorBuffer<float> f ? f.Span.ToArray() : TensorBytes.Of(o.Tensor).ToArray().Select(b => (float)b).ToArray()).ToArray();
            }
            finally
            {
                foreach (var output in outputs)
                {
                    output.Tensor.Dispose();
                }
            }
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Tensor.Dispose();
            }
        }
    }

    private static void Write(TensorBuffer buffer, float[] values)
    {
        switch (buffer)
        {
            case TensorBuffer<float> floats:
                values.CopyTo(floats.Span);
                break;
            case TensorBuffer<Half> halves:
                for (var i = 0; i < values.Length; i++)
                {
                    halves.Span[i] = (Half)values[i];
                }
                break;
            default:
                TensorBytes.Of(buffer).Clear();
                break;
        }
    }
}
