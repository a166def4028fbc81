using System.Text.Json;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Protocol;

/// <summary>
/// Reads one tensor of a REST request's "inputs" within the request's single forward pass. Properties may come in any
/// order; clients send name, shape and datatype before "data", and then the numbers go straight into the tensor's
/// bytes. Otherwise (and for "shape", a few tokens) a copy of the reader remembers where the value is, and it is read
/// once the object has ended, so the checks still run in the order name, datatype, shape, data. A copy of the reader
/// is independent of the original only while the nesting stays within 64 levels; the parser allows 32.
/// </summary>
internal ref struct RestInputReader
{
    private readonly ReadOnlySpan<byte> json;
    private readonly int index;
    private Fields seen;
    private string? name;
    private TensorElementType type;
    private string? datatypeText;
    private Utf8JsonReader shapeAt;
    private Utf8JsonReader dataAt;
    private long[]? shape;
    private byte[]? data;
    private RestBinaryInput? binaryInput;

    private RestInputReader(ReadOnlySpan<byte> json, int index)
    {
        this.json = json;
        this.index = index;
    }

    [Flags]
    private enum Fields
    {
        None = 0,
        Name = 1,
        Datatype = 2,
        Shape = 4,
        Data = 8,
        Parameters = 16,
    }

    /// <summary>Reads the input object the reader is on; binary inputs take their bytes from <paramref name="binary"/>.</summary>
    public static InferTensor Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int index, RestBinarySection binary)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw InferException.Invalid($"inputs[{index}] must be an object");
        }
        var input = new RestInputReader(json, index);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            input.ReadProperty(ref reader);
        }
        return input.Finish(binary);
    }

    private void ReadProperty(ref Utf8JsonReader reader)
    {
        var field = reader.ValueTextEquals("name"u8) ? Fields.Name
            : reader.ValueTextEquals("datatype"u8) ? Fields.Datatype
            : reader.ValueTextEquals("shape"u8) ? Fields.Shape
            : reader.ValueTextEquals("data"u8) ? Fields.Data
            : reader.ValueTextEquals("parameters"u8) ? Fields.Parameters
            : Fields.None;
        if ((seen & field) != 0)
        {
            throw JsonTokens.Duplicate(field.ToString().ToLowerInvariant(), $"inputs[{index}]");
        }
        seen |= field;
        reader.Read();
        switch (field)
        {
            case Fields.Name:
                name = JsonTokens.StringOrSkip(ref reader, new("inputs", index, "name"));
                break;
            case Fields.Datatype:
                ReadDatatype(ref reader);
                break;
            case Fields.Shape:
                shapeAt = reader;
                reader.Skip();
                break;
            case Fields.Data when !string.IsNullOrEmpty(name) && type != TensorElementType.Undefined && (seen & Fields.Shape) != 0 && binaryInput is null:
                data = ReadData(ref reader);
                break;
            case Fields.Data:
                dataAt = reader;
                reader.Skip();
                break;
            case Fields.Parameters:
                binaryInput = RestBinaryInput.ReadParameters(ref reader, json, index);
                break;
            default:
                reader.Skip();
                break;
        }
    }

    private void ReadDatatype(ref Utf8JsonReader reader)
    {
        // Compared as UTF-8 bytes: no string per input unless the name is escaped or wrong (for the message).
        type = reader.TokenType != JsonTokenType.String ? TensorElementType.Undefined
            : reader.ValueIsEscaped ? Datatypes.Parse(JsonTokens.String(ref reader, new("inputs", index, "datatype"))) : Datatypes.Parse(reader.ValueSpan);
        datatypeText = type == TensorElementType.Undefined ? JsonTokens.StringOrSkip(ref reader, new("inputs", index, "datatype")) : null;
    }

    private InferTensor Finish(RestBinarySection binary)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw InferException.Invalid($"inputs[{index}].name is missing");
        }
        if (type == TensorElementType.Undefined)
        {
            throw InferException.Invalid($"input '{name}': datatype '{datatypeText}' is not one of {Datatypes.Supported}");
        }
        var dims = Shape();
        if (binaryInput is RestBinaryInput fromBinary)
        {
            return (seen & Fields.Data) != 0
                ? throw InferException.Invalid($"input '{name}': give either \"data\" or parameters.binary_data_size, not both")
                : new InferTensor(name, type, dims, binary.Take(name, type, dims, fromBinary));
        }
        if (data is null && (seen & Fields.Data) != 0)
        {
            var reader = dataAt;
            data = ReadData(ref reader);
        }
        return data is null
            ? throw DataNotAnArray()
            : new InferTensor(name, type, dims, data);
    }

    /// <summary>The shape, read from where "shape" was the first time it is needed.</summary>
    private long[] Shape()
    {
        if (shape is null)
        {
            if ((seen & Fields.Shape) == 0)
            {
                throw ShapeNotAnArray();
            }
            var reader = shapeAt;
            shape = ReadShape(ref reader);
        }
        return shape;
    }

    private long[] ReadShape(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ShapeNotAnArray();
        }
        var dims = new List<long>(4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim) || dim < 0)
            {
                throw InferException.Invalid($"input '{name}': shape[{dims.Count}] = {JsonTokens.RawText(ref reader, json)} is not a non-negative integer");
            }
            dims.Add(dim);
        }
        return [.. dims];
    }

    private readonly InferException DataNotAnArray() => InferException.Invalid($"input '{name}': \"data\" must be an array (or give parameters.binary_data_size)");

    private readonly InferException ShapeNotAnArray() => InferException.Invalid($"input '{name}': \"shape\" must be an array of integers");

    private byte[] ReadData(ref Utf8JsonReader reader)
    {
        var dims = Shape();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw DataNotAnArray();
        }
        // Each JSON value takes at least one byte, so a shape larger than the body cannot be honest: refuse before allocating.
        var count = TensorShapes.CheckedElementCount(name!, dims, json.Length, $"the {json.Length}-byte JSON body can carry (one byte per value at least)");
        return JsonTensorReader.Read(ref reader, json, name!, type, dims, (int)count);
    }
}
