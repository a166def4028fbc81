using RecOperator.InferencePod.Batching;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Model;

/// <summary>
/// Synthetic rows and engine runs for the load-time probes (<see cref="RowIndependenceProbe"/>, <see cref="SplitTilingProbe"/>):
/// values are kept as floats whatever the input's type, written into the engine's tensors and read back as floats.
/// </summary>
internal static class ProbeRows
{
    /// <summary>
    /// <paramref name="rows"/> rows for one input, dynamic inner dimensions as 1. Floats are drawn so rows differ; other
    /// types are left 0 when written (<see cref="Write"/>): a valid row of every embedding table.
    /// </summary>
    public static (float[] Data, long Width) Fill(TensorMetadata input, int rows, Random random)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(random);
        var width = input.Dimensions.Skip(1).Aggregate(1L, (count, d) => count * (d < 0 ? 1 : d));
        var data = new float[rows * width];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return (data, width);
    }

    /// <summary>Rows [from, from + count) of a filled input, or its first row repeated count times.</summary>
    public static (float[] Data, long Width) Slice((float[] Data, long Width) filled, bool repeatFirst, int from, int count)
    {
        var data = new float[count * filled.Width];
        for (var r = 0; r < count; r++)
        {
            var source = repeatFirst ? 0 : from + r;
            filled.Data.AsSpan((int)(source * filled.Width), (int)filled.Width).CopyTo(data.AsSpan((int)(r * filled.Width)));
        }
        return (data, filled.Width);
    }

    /// <summary>One engine call with each input's values (its rows follow from their count); every output's shape and values.</summary>
    public static (long[] Shape, float[] Values)[] Run(IInferenceSession session, Func<TensorMetadata, float[]> valuesOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(valuesOf);
        var inputs = new List<NamedTensor>();
        try
        {
            foreach (var input in session.Inputs)
            {
                var values = valuesOf(input);
                var width = input.Dimensions.Skip(1).Aggregate(1L, (count, d) => count * (d < 0 ? 1 : d));
                long[] shape = [values.Length / width, .. input.Dimensions.Skip(1).Select(d => d < 0 ? 1L : d)];
                var buffer = TensorBuffer.Allocate(input.ElementType, shape);
                inputs.Add(new NamedTensor(input.Name, buffer));
                Write(buffer, values);
            }
            var outputs = session.Run(inputs, cancellationToken);
            try
            {
                return [.. outputs.Select(o => (o.Tensor.Shape.ToArray(), Floats(o.Tensor)))];
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

    /// <summary>Every element as a float; bytes and bools byte by byte, compared exactly all the same.</summary>
    private static float[] Floats(TensorBuffer tensor) => tensor switch
    {
        TensorBuffer<float> f => f.Span.ToArray(),
        TensorBuffer<Half> h => [.. h.Span.ToArray().Select(v => (float)v)],
        TensorBuffer<double> d => [.. d.Span.ToArray().Select(v => (float)v)],
        TensorBuffer<long> l => [.. l.Span.ToArray().Select(v => (float)v)],
        TensorBuffer<int> i => [.. i.Span.ToArray().Select(v => (float)v)],
        _ => [.. TensorBytes.Of(tensor).ToArray().Select(b => (float)b)],
    };

    /// <summary>Float types take the values; any other type is zeroed (ids 0).</summary>
    private static void Write(TensorBuffer buffer, ReadOnlySpan<float> values)
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
            case TensorBuffer<double> doubles:
                for (var i = 0; i < values.Length; i++)
                {
                    doubles.Span[i] = values[i];
                }
                break;
            default:
                TensorBytes.Of(buffer).Clear();
                break;
        }
    }
}
