using System.Runtime.InteropServices;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;
using RecOperator.Onnx.Proto;

namespace RecOperator.InferencePod.Model;

/// <summary>
/// The ids a request may send in an input that indexes an embedding table. ONNX Runtime fails the whole engine call on
/// one id outside its table (Gather: "indices element out of data bounds"); with dynamic batching that call holds other
/// clients' requests too, and a split artifact's user model runs on the request thread. So the pod refuses such a
/// request before it runs anything (<see cref="RequestPreparer"/>), naming the input and the element.
/// </summary>
public static class EmbeddingIds
{
    /// <summary>
    /// For each of <paramref name="inputs"/> that the graph reads directly as the indices of a Gather (axis 0) over a
    /// constant table, the rows of the smallest such table; 0 for every other input. The tables' dimensions are read
    /// from the graph, so the weights need not be loaded.
    /// </summary>
    public static long[] TableRows(ModelProto model, IReadOnlyList<TensorMetadata> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        var tables = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var initializer in model.Graph.Initializer)
        {
            tables[initializer.Name] = initializer;
        }
        var rows = new long[inputs.Count];
        foreach (var node in model.Graph.Node)
        {
            if (node.OpType != "Gather" || node.Domain is not ("" or "ai.onnx") || node.Input.Count != 2
                || !tables.TryGetValue(node.Input[0], out var table) || table.Dims.Count == 0)
            {
                continue;
            }
            var axis = node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;
            if (axis != 0 && axis != -table.Dims.Count)
            {
                continue;
            }
            for (var i = 0; i < rows.Length; i++)
            {
                if (inputs[i].Name == node.Input[1])
                {
                    rows[i] = rows[i] == 0 ? table.Dims[0] : Math.Min(rows[i], table.Dims[0]);
                }
            }
        }
        return rows;
    }

    /// <summary>
    /// Refuses an id outside what Gather accepts for a table of <paramref name="rows"/> rows: 0 .. rows - 1, or
    /// -rows .. -1 counted from the table's end. Elements are counted flat, in row-major order (REST's data[i]).
    /// </summary>
    public static void Check(InferTensor input, long rows)
    {
        ArgumentNullException.ThrowIfNull(input);
        // On the request path for every id input (dlrm-small: 26 inputs x rows per request): one unsigned compare per
        // id over the data read in place; the element is looked for again only to name it in the refusal.
        var at = input.ElementType switch
        {
            TensorElementType.Int64 => FirstOutside(MemoryMarshal.Cast<byte, long>(input.Data.Span), rows),
            TensorElementType.Int32 => FirstOutside(MemoryMarshal.Cast<byte, int>(input.Data.Span), rows),
            _ => -1,
        };
        if (at >= 0)
        {
            var id = input.ElementType == TensorElementType.Int64
                ? MemoryMarshal.Cast<byte, long>(input.Data.Span)[at]
                : MemoryMarshal.Cast<byte, int>(input.Data.Span)[at];
            throw InferException.Invalid(
                $"input '{input.Name}': element {at} is {id}, outside the embedding table it indexes ({rows} rows: ids 0 .. {rows - 1}, or -{rows} .. -1 from the end)");
        }
    }

    /// <summary>The first element outside -rows .. rows - 1, or -1: shifted by rows, the range is 0 .. 2 rows - 1 unsigned.</summary>
    private static int FirstOutside<T>(ReadOnlySpan<T> ids, long rows) where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var span = (ulong)(2 * rows);
        for (var i = 0; i < ids.Length; i++)
        {
            if ((ulong)(long.CreateTruncating(ids[i]) + rows) >= span)
            {
                return i;
            }
        }
        return -1;
    }
}
