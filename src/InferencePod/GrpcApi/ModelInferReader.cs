using System.Text;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>
/// Reads the common ModelInferRequest (raw_input_contents, no parameters, no typed contents) straight from its wire
/// bytes: each input's data is a slice of the message rather than two copies (a ByteString, then a byte[]), and no
/// generated message objects are built (each input tensor's eagerly allocated parameters map among them). Any other
/// shape of message is declined, and the caller parses it with the generated parser, so answers stay the same.
/// </summary>
internal sealed class ModelInferReader(ServedNames names)
{
    private const int ModelNameField = 1;
    private const int ModelVersionField = 2;
    private const int IdField = 3;
    private const int InputsField = 5;
    private const int OutputsField = 6;
    private const int RawInputContentsField = 7;

    /// <summary>The request read from <paramref name="message"/>, or null when it needs the generated parser.</summary>
    public ModelInferMessage? TryRead(ReadOnlyMemory<byte> message)
    {
        var data = message.Span;
        if (!Survey(data, out var inputCount, out var outputCount, out var rawCount) || rawCount == 0)
        {
            return null;
        }
        var inputs = new ModelInferMessage.Input[inputCount];
        var outputs = outputCount == 0 ? [] : new string[outputCount];
        var (modelName, modelVersion, id) = ("", "", "");
        var (input, output, raw) = (0, 0, 0);
        var position = 0;
        // Inputs of one request mostly share a shape ([rows] for every id feature): one array per distinct shape.
        var lastShape = (Offset: -1, Length: 0, Shape: Array.Empty<long>());
        while (position < data.Length)
        {
            ProtoWire.TryReadTag(data, ref position, out var field, out _);
            ProtoWire.TryReadLengthDelimited(data, ref position, out var offset, out var length);
            var payload = data.Slice(offset, length);
            switch (field)
            {
                case ModelNameField: modelName = names.ModelName(payload); break;
                case ModelVersionField: modelVersion = ServedNames.Version(payload); break;
                case IdField: id = length == 0 ? "" : Encoding.UTF8.GetString(payload); break;
                case InputsField: inputs[input] = ReadInput(payload, offset, input, inputs[input].Data, data, ref lastShape); input++; break;
                case OutputsField: outputs[output++] = ReadOutputName(payload); break;
                default:
                    // Raw contents may come before their inputs; past the inputs' count the converter reports the mismatch.
                    if (raw < inputCount)
                    {
                        inputs[raw] = inputs[raw] with { Data = message.Slice(offset, length) };
                    }
                    raw++;
                    break;
            }
        }
        return new ModelInferMessage(modelName, modelVersion, id, inputs, outputs, rawCount);
    }

    /// <summary>
    /// Checks that the message has only the fields this reader handles, well formed, and counts inputs, outputs and
    /// raw contents, so the second pass allocates exactly.
    /// </summary>
    private static bool Survey(ReadOnlySpan<byte> data, out int inputs, out int outputs, out int raw)
    {
        (inputs, outputs, raw) = (0, 0, 0);
        var position = 0;
        while (position < data.Length)
        {
            if (!ProtoWire.TryReadTag(data, ref position, out var field, out var wireType) || wireType != ProtoWire.LengthDelimited
                || !ProtoWire.TryReadLengthDelimited(data, ref position, out var offset, out var length))
            {
                return false;
            }
            var ok = field switch
            {
                ModelNameField or ModelVersionField or IdField => true,
                InputsField => SurveyInput(data.Slice(offset, length)) && ++inputs > 0,
                OutputsField => SurveyOutput(data.Slice(offset, length)) && ++outputs > 0,
                RawInputContentsField => ++raw > 0,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>An InferInputTensor with name, datatype and one packed shape only.</summary>
    private static bool SurveyInput(ReadOnlySpan<byte> data)
    {
        var position = 0;
        var shapes = 0;
        while (position < data.Length)
        {
            if (!ProtoWire.TryReadTag(data, ref position, out var field, out var wireType) || wireType != ProtoWire.LengthDelimited
                || !ProtoWire.TryReadLengthDelimited(data, ref position, out var offset, out var length))
            {
                return false;
            }
            if (field is not (1 or 2 or 3) || (field == 3 && (++shapes > 1 || ProtoWire.CountPackedVarints(data.Slice(offset, length)) < 0)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>An InferRequestedOutputTensor with a name only.</summary>
    private static bool SurveyOutput(ReadOnlySpan<byte> data)
    {
        var position = 0;
        while (position < data.Length)
        {
            if (!ProtoWire.TryReadTag(data, ref position, out var field, out var wireType) || wireType != ProtoWire.LengthDelimited
                || !ProtoWire.TryReadLengthDelimited(data, ref position, out _, out _) || field != 1)
            {
                return false;
            }
        }
        return true;
    }

    /// <param name="lastShape">The previous input's packed shape (its range in <paramref name="message"/>) and its array, shared when equal.</param>
    private ModelInferMessage.Input ReadInput(ReadOnlySpan<byte> data, int start, int index, ReadOnlyMemory<byte> rawContents, ReadOnlySpan<byte> message,
        ref (int Offset, int Length, long[] Shape) lastShape)
    {
        var (name, datatype, shape) = ("", TensorElementType.Undefined, Array.Empty<long>());
        var datatypeText = ReadOnlySpan<byte>.Empty;
        var position = 0;
        while (position < data.Length)
        {
            ProtoWire.TryReadTag(data, ref position, out var field, out _);
            ProtoWire.TryReadLengthDelimited(data, ref position, out var offset, out var length);
            var payload = data.Slice(offset, length);
            switch (field)
            {
                case 1: name = names.InputName(payload, index); break;
                case 2:
                    datatype = Datatypes.Parse(payload);
                    datatypeText = payload;
                    break;
                default:
                    if (lastShape.Offset < 0 || !payload.SequenceEqual(message.Slice(lastShape.Offset, lastShape.Length)))
                    {
                        lastShape = (start + offset, length, ReadShape(payload));
                    }
                    shape = lastShape.Shape;
                    break;
            }
        }
        // The text is kept only to name an unsupported datatype in the error.
        var unsupported = datatype == TensorElementType.Undefined ? Encoding.UTF8.GetString(datatypeText) : null;
        return new ModelInferMessage.Input(name, datatype, unsupported, shape, rawContents);
    }

    private static long[] ReadShape(ReadOnlySpan<byte> packed)
    {
        var shape = new long[ProtoWire.CountPackedVarints(packed)];
        var position = 0;
        for (var d = 0; d < shape.Length; d++)
        {
            ProtoWire.TryReadVarint(packed, ref position, out var value);
            shape[d] = (long)value;
        }
        return shape;
    }

    private static string ReadOutputName(ReadOnlySpan<byte> data)
    {
        var name = "";
        var position = 0;
        while (position < data.Length)
        {
            ProtoWire.TryReadTag(data, ref position, out _, out _);
            ProtoWire.TryReadLengthDelimited(data, ref position, out var offset, out var length);
            name = Encoding.UTF8.GetString(data.Slice(offset, length));
        }
        return name;
    }
}
