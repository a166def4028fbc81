using System.Text.Json;

namespace RecOperator.InferencePod.Protocol;

/// <summary>
/// Parses a REST inference request body: JSON tensors (name, datatype, shape, data) and the binary tensor data
/// extension (the first <c>Inference-Header-Content-Length</c> bytes are JSON; inputs with a "binary_data_size"
/// parameter take their bytes, in order, from the rest). Every problem is an InvalidArgument naming the part.
/// Binary inputs are slices of <c>body</c>, so it must outlive the request.
/// </summary>
public static class RestInferParser
{
    public static InferRequest Parse(ReadOnlyMemory<byte> body, int? jsonLength)
    {
        if (jsonLength is < 0 || jsonLength > body.Length)
        {
            throw InferException.Invalid($"header Inference-Header-Content-Length is {jsonLength}, but the body has {body.Length} bytes");
        }
        var json = jsonLength is int length ? body[..length] : body;
        var binary = jsonLength is int start ? body[start..] : ReadOnlyMemory<byte>.Empty;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException error)
        {
            throw InferException.Invalid($"the request body is not valid JSON: {error.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw InferException.Invalid("the request body must be a JSON object with \"inputs\"");
            }
            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : "";
            if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
            {
                throw InferException.Invalid("\"inputs\" must be a non-empty array of tensors");
            }
            var tensors = new List<InferTensor>(inputs.GetArrayLength());
            var binaryOffset = 0;
            var index = 0;
            foreach (var input in inputs.EnumerateArray())
            {
                tensors.Add(ParseInput(input, index++, json.Length, binary, ref binaryOffset));
            }
            if (binaryOffset != binary.Length)
            {
                throw InferException.Invalid($"the binary section has {binary.Length} bytes but the inputs' binary_data_size add up to {binaryOffset}");
            }
            var (requested, binaryOutputs) = ParseOutputs(root);
            var allBinary = root.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("binary_data_output", out var flag) && flag.ValueKind == JsonValueKind.True;
            return new InferRequest(id, tensors, requested, binaryOutputs) { AllOutputsBinary = allBinary };
        }
    }

    private static InferTensor ParseInput(JsonElement input, int index, int jsonBytes, ReadOnlyMemory<byte> binary, ref int binaryOffset)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw InferException.Invalid($"inputs[{index}] must be an object");
        }
        var name = input.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString()! : "";
        if (name.Length == 0)
        {
            throw InferException.Invalid($"inputs[{index}].name is missing");
        }
        var datatypeText = input.TryGetProperty("datatype", out var datatype) && datatype.ValueKind == JsonValueKind.String ? datatype.GetString() : null;
        var type = Datatypes.Parse(datatypeText);
        if (type == Onnx.TensorElementType.Undefined)
        {
            throw InferException.Invalid($"input '{name}': datatype '{datatypeText}' is not one of {Datatypes.Supported}");
        }
        var shape = ParseShape(name, input);
        var size = Onnx.TensorElementTypes.SizeOf(type);
        if (input.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("binary_data_size", out var sizeElement))
        {
            if (!sizeElement.TryGetInt32(out var byteCount) || byteCount < 0 || byteCount > binary.Length - binaryOffset)
            {
                throw InferException.Invalid($"input '{name}': binary_data_size {sizeElement.GetRawText()} does not fit the {binary.Length - binaryOffset} binary bytes left");
            }
            TensorShapes.CheckedElementCount(name, shape, binary.Length / Math.Max(size, 1) + 1);
            // A slice of the body, not a copy: the caller keeps the body until the request is answered.
            var data = binary.Slice(binaryOffset, byteCount);
            binaryOffset += byteCount;
            return new InferTensor(name, type, shape, data);
        }
        if (!input.TryGetProperty("data", out var dataElement) || dataElement.ValueKind != JsonValueKind.Array)
        {
            throw InferException.Invalid($"input '{name}': \"data\" must be an array (or give parameters.binary_data_size)");
        }
        // Each JSON value takes at least one byte, so a shape larger than the body cannot be honest: refuse before allocating.
        var count = TensorShapes.CheckedElementCount(name, shape, jsonBytes);
        return new InferTensor(name, type, shape, JsonTensorData.Read(name, dataElement, type, count));
    }

    private static long[] ParseShape(string name, JsonElement input)
    {
        if (!input.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw InferException.Invalid($"input '{name}': \"shape\" must be an array of integers");
        }
        var shape = new long[shapeElement.GetArrayLength()];
        var d = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var value) || value < 0)
            {
                throw InferException.Invalid($"input '{name}': shape[{d}] = {dim.GetRawText()} is not a non-negative integer");
            }
            shape[d++] = value;
        }
        return shape;
    }

    private static (IReadOnlyList<string> Requested, IReadOnlySet<string> Binary) ParseOutputs(JsonElement root)
    {
        if (!root.TryGetProperty("outputs", out var outputs))
        {
            return ([], new HashSet<string>());
        }
        if (outputs.ValueKind != JsonValueKind.Array)
        {
            throw InferException.Invalid("\"outputs\" must be an array");
        }
        var requested = new List<string>();
        var binary = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in outputs.EnumerateArray())
        {
            var name = output.ValueKind == JsonValueKind.Object && output.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString()! : throw InferException.Invalid("every entry of \"outputs\" needs a \"name\"");
            requested.Add(name);
            if (output.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("binary_data", out var flag) && flag.ValueKind == JsonValueKind.True)
            {
                binary.Add(name);
            }
        }
        return (requested, binary);
    }
}
