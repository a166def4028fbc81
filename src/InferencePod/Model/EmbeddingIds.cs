using System.Buffers.Binary;
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
        var data = input.Data.Span;
        var wide = input.ElementType == TensorElementType.Int64;
        if (!wide && input.ElementType != TensorElementType.Int32)
        {
            return;
        }
        var size = wide ? sizeof(long) : sizeof(int);
        for (var i = 0; i < data.Length / size; i++)
        {
            var id = wide ? BinaryPrimitives.ReadInt64LittleEndian(data[(i * size)..]) : BinaryPrimitives.ReadInt32LittleEndian(data[(i * size)..]);
            if (id < -rows || id >= rows)
            {
                throw InferException.Invalid(
                    $"input '{input.Name}': element {i} is {id}, outside the embedding table it indexes ({rows} rows: ids 0 .. {rows - 1}, or -{rows} .. -1 from the end)");
            }
        }
    }
}
