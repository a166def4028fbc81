using System.Text.Json;

namespace RecOperator.InferencePod.Protocol;

/// <summary>
/// Parses a REST inference request body: JSON tensors (name, datatype, shape, data) and the binary tensor data
/// extension (the first <c>Inference-Header-Content-Length</c> bytes are JSON; inputs with a "binary_data_size"
/// parameter take their bytes, in order, from the rest). Every problem is an InvalidArgument naming the part.
/// Binary inputs are slices of <c>body</c>, so it must outlive the request.
/// </summary>
/// <remarks>
/// One forward pass with <see cref="Utf8JsonReader"/>, writing numbers into the tensors as they come: building a
/// JsonDocument first tokenised every number twice and was most of a REST request's pod CPU. Unknown properties are
/// skipped; a property the pod reads may not come twice in one object.
/// </remarks>
public static class RestInferParser
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 32 };

    public static InferRequest Parse(ReadOnlyMemory<byte> body, int? jsonLength)
    {
        if (jsonLength is < 0 || jsonLength > body.Length)
        {
            throw InferException.Invalid($"header Inference-Header-Content-Length is {jsonLength}, but the body has {body.Length} bytes");
        }
        var json = jsonLength is int length ? body[..length] : body;
        var binary = new RestBinarySection(jsonLength is int start ? body[start..] : ReadOnlyMemory<byte>.Empty);
        try
        {
            return Read(json.Span, binary);
        }
        catch (JsonException error)
        {
            throw InferException.Invalid($"the request body is not valid JSON: {error.Message}");
        }
    }

    private static InferRequest Read(ReadOnlySpan<byte> json, RestBinarySection binary)
    {
        var reader = new Utf8JsonReader(json, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw InferException.Invalid("the request body must be a JSON object with \"inputs\"");
        }
        string? id = null;
        List<InferTensor>? inputs = null;
        RequestedOutputs? outputs = null;
        bool? allBinary = null;
        var parametersSeen = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("id"u8) ? "id"
                : reader.ValueTextEquals("inputs"u8) ? "inputs"
                : reader.ValueTextEquals("outputs"u8) ? "outputs"
                : reader.ValueTextEquals("parameters"u8) ? "parameters"
                : null;
            reader.Read();
            switch (property)
            {
                case "id" when id is null:
                    id = reader.TokenType == JsonTokenType.String
                        ? JsonTokens.String(ref reader, new("\"id\""))
                        : throw InferException.Invalid($"\"id\" must be a string, not {JsonTokens.RawText(ref reader, json)}");
                    break;
                case "inputs" when inputs is null:
                    inputs = ReadInputs(ref reader, json, binary);
                    break;
                case "outputs" when outputs is null:
                    outputs = ReadOutputs(ref reader);
                    break;
                case "parameters" when !parametersSeen:
                    parametersSeen = true;
                    allBinary = JsonTokens.ReadFlag(ref reader, "binary_data_output"u8, "the request's parameters");
                    break;
                case null:
                    reader.Skip();
                    break;
                default:
                    throw JsonTokens.Duplicate(property, "the request");
            }
        }
        // Only whitespace may follow the object; the reader throws on anything else.
        reader.Read();
        if (inputs is not { Count: > 0 })
        {
            throw InputsMissing();
        }
        binary.CheckAllTaken();
        var requested = outputs ?? new RequestedOutputs([], [], []);
        return new InferRequest(id ?? "", inputs, requested.Names, requested.Binary) { AllOutputsBinary = allBinary == true, NotBinaryOutputs = requested.NotBinary };
    }

    /// <summary>The outputs a request names, with those whose parameters set binary_data to true and to false.</summary>
    private sealed record RequestedOutputs(List<string> Names, HashSet<string> Binary, HashSet<string> NotBinary);

    private static List<InferTensor> ReadInputs(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, RestBinarySection binary)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw InputsMissing();
        }
        var inputs = new List<InferTensor>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            inputs.Add(RestInputReader.Read(ref reader, json, inputs.Count, binary));
        }
        return inputs;
    }

    private static RequestedOutputs ReadOutputs(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw InferException.Invalid("\"outputs\" must be an array");
        }
        var outputs = new RequestedOutputs([], new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = outputs.Names.Count;
            var (name, isBinary) = ReadOutput(ref reader, index);
            if (outputs.Names.Contains(name))
            {
                throw InferException.Invalid($"outputs[{index}] asks for '{name}' again: name each output once");
            }
            outputs.Names.Add(name);
            (isBinary switch { true => outputs.Binary, false => outputs.NotBinary, null => null })?.Add(name);
        }
        return outputs;
    }

    /// <summary>
    /// One entry of "outputs": its name and what its parameters set binary_data to (null: not named, so the request's
    /// binary_data_output decides; an output's own setting overrides it, as the binary tensor extension says).
    /// </summary>
    private static (string Name, bool? Binary) ReadOutput(ref Utf8JsonReader reader, int index)
    {
        string? name = null;
        bool? isBinary = null;
        var parametersSeen = false;
        var isObject = reader.TokenType == JsonTokenType.StartObject;
        while (isObject && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals("name"u8);
            var isParameters = reader.ValueTextEquals("parameters"u8);
            reader.Read();
            if ((isName && name is not null) || (isParameters && parametersSeen))
            {
                throw JsonTokens.Duplicate(isName ? "name" : "parameters", $"outputs[{index}]");
            }
            if (isName)
            {
                name = JsonTokens.StringOrSkip(ref reader, new("outputs", index, "name")) ?? throw OutputWithoutName();
            }
            else if (isParameters)
            {
                parametersSeen = true;
                isBinary = JsonTokens.ReadFlag(ref reader, "binary_data"u8, $"outputs[{index}].parameters");
            }
            else
            {
                reader.Skip();
            }
        }
        return (name ?? throw OutputWithoutName(), isBinary);
    }

    private static InferException InputsMissing() => InferException.Invalid("\"inputs\" must be a non-empty array of tensors");

    private static InferException OutputWithoutName() => InferException.Invalid("every entry of \"outputs\" needs a \"name\"");
}
