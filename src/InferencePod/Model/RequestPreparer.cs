using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Model;

/// <summary>
/// Checks a request against the model before it is queued, so one bad request never fails a batch: every input
/// present once, datatype, rank, fixed dimensions, byte length, ids within the embedding tables they index and a common
/// batch dimension. Messages name the input.
/// With user-input tiling, user inputs sent at batch 1 are repeated once per candidate here; for a split artifact the user
/// model runs here and its outputs replace the user inputs.
/// </summary>
public static class RequestPreparer
{
    public static PreparedRequest Prepare(ServedModel model, InferRequest request, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        var declared = model.DeclaredInputs;
        var ordered = new InferTensor[declared.Count];
        foreach (var input in request.Inputs)
        {
            var position = IndexOf(declared, input.Name);
            if (position < 0)
            {
                throw InferException.Invalid($"input '{input.Name}' is not an input of model '{model.Name}'; its inputs are: {Names(declared)}");
            }
            if (ordered[position] is not null)
            {
                throw InferException.Invalid($"input '{input.Name}' is given more than once");
            }
            Check(declared[position], input);
            if (model.TableRows[position] > 0)
            {
                EmbeddingIds.Check(input, model.TableRows[position]);
            }
            ordered[position] = input;
        }
        for (var i = 0; i < ordered.Length; i++)
        {
            if (ordered[i] is null)
            {
                throw InferException.Invalid($"input '{declared[i].Name}' is missing (expected {Datatypes.Name(declared[i].ElementType)} {declared[i].ShapeText})");
            }
        }
        foreach (var output in request.RequestedOutputs)
        {
            if (model.Outputs.All(o => o.Name != output))
            {
                throw InferException.Invalid($"output '{output}' is not an output of model '{model.Name}'; its outputs are: {Names(model.Outputs)}");
            }
        }
        var rows = Rows(declared, ordered);
        if (rows > maxRows)
        {
            throw InferException.Invalid($"the request has {rows} rows; this pod accepts at most {maxRows} per request");
        }
        if (model.TileUserInputs)
        {
            for (var i = 0; i < ordered.Length; i++)
            {
                if (model.UserInputs.Contains(ordered[i].Name))
                {
                    ordered[i] = Tile(ordered[i], rows);
                }
            }
        }
        if (model.Split is { } split)
        {
            // The user half runs here, once per request; the batcher only ever sees candidate-model inputs.
            ordered = split.CandidateInputs(ordered, cancellationToken);
        }
        return new PreparedRequest(ordered, rows, rows);
    }

    internal static void Check(TensorMetadata expected, InferTensor input)
    {
        if (input.ElementType != expected.ElementType)
        {
            throw InferException.Invalid($"input '{input.Name}': datatype must be {Datatypes.Name(expected.ElementType)}, got {Datatypes.Name(input.ElementType)}");
        }
        if (input.Shape.Length > 0 && input.Shape[0] == 0 && expected.Dimensions.Count > 0 && expected.Dimensions[0] < 0)
        {
            throw InferException.Invalid($"input '{input.Name}': shape {input.ShapeText} has no rows; a request holds at least one");
        }
        var fits = input.Shape.Length == expected.Dimensions.Count;
        for (var d = 0; fits && d < input.Shape.Length; d++)
        {
            fits = input.Shape[d] >= (d == 0 ? 1 : 0) && (expected.Dimensions[d] < 0 || expected.Dimensions[d] == input.Shape[d]);
        }
        if (!fits)
        {
            throw InferException.Invalid($"input '{input.Name}': shape must be {expected.ShapeText}, got {input.ShapeText}");
        }
        // Multiplied only while the product stays within the data (both factors then fit in 31 bits), so a huge
        // shape, such as gRPC's raw [2^62 + 1, 13], can neither overflow into a match nor into a negative size.
        var size = TensorElementTypes.SizeOf(input.ElementType);
        long bytes = size;
        foreach (var dim in input.Shape)
        {
            bytes = bytes > input.Data.Length || dim > input.Data.Length ? long.MaxValue : bytes * dim;
        }
        // A dimension of 0 (an empty sequence) holds no element whatever the others say; the guard above must not read
        // it as too large for empty data.
        bytes = input.Shape.Contains(0) ? 0 : bytes;
        if (bytes != input.Data.Length)
        {
            throw InferException.Invalid(bytes == long.MaxValue
                ? $"input '{input.Name}': shape {input.ShapeText} holds more elements than its {input.Data.Length} bytes of data"
                : $"input '{input.Name}': shape {input.ShapeText} needs {bytes / size} elements ({bytes} bytes), the data has {input.Data.Length} bytes");
        }
    }

    /// <summary>Inputs with a dynamic first dimension share it (batch or candidates); without any, the request is one row.</summary>
    private static int Rows(IReadOnlyList<TensorMetadata> declared, InferTensor[] inputs)
    {
        long rows = -1;
        for (var i = 0; i < inputs.Length; i++)
        {
            if (declared[i].Dimensions[0] >= 0)
            {
                continue;
            }
            if (rows >= 0 && inputs[i].Shape[0] != rows)
            {
                throw InferException.Invalid($"input '{inputs[i].Name}' has {inputs[i].Shape[0]} rows but input '{inputs.First(t => t.Shape[0] == rows).Name}' has {rows}; batch dimensions must agree");
            }
            rows = inputs[i].Shape[0];
        }
        return rows < 0 ? 1 : (int)Math.Min(rows, int.MaxValue);
    }

    private static InferTensor Tile(InferTensor user, int rows)
    {
        var data = new byte[user.Data.Length * rows];
        for (var r = 0; r < rows; r++)
        {
            user.Data.Span.CopyTo(data.AsSpan(r * user.Data.Length));
        }
        var shape = (long[])user.Shape.Clone();
        shape[0] = rows;
        return user with { Shape = shape, Data = data };
    }

    private static int IndexOf(IReadOnlyList<TensorMetadata> tensors, string name)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            if (tensors[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }

    private static string Names(IReadOnlyList<TensorMetadata> tensors) => string.Join(", ", tensors.Select(t => t.Name));
}
