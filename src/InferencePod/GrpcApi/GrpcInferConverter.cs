using Google.Protobuf;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>Converts ModelInfer messages to the shared request/response records (typed contents or raw_input_contents).</summary>
internal static class GrpcInferConverter
{
    public static InferRequest ToRequest(ModelInferRequest message)
    {
        CheckCounts(message.Inputs.Count, message.RawInputContents.Count);
        var raw = message.RawInputContents.Count > 0;
        var tensors = new InferTensor[message.Inputs.Count];
        for (var i = 0; i < tensors.Length; i++)
        {
            var input = message.Inputs[i];
            var (name, type) = Check(i, input.Name, Datatypes.Parse(input.Datatype), input.Datatype);
            if (raw && input.Contents is not null)
            {
                // As Triton refuses it: which of the two holds the values would be a guess.
                throw InferException.Invalid($"input '{name}': contents field must not be specified when using raw_input_contents");
            }
            var shape = input.Shape.ToArray();
            ReadOnlyMemory<byte> data = raw ? message.RawInputContents[i].Memory : GrpcTypedContents.ToBytes(name, type, input.Contents, shape);
            tensors[i] = new InferTensor(name, type, shape, data);
        }
        var outputs = new string[message.Outputs.Count];
        for (var o = 0; o < outputs.Length; o++)
        {
            outputs[o] = message.Outputs[o].Name;
        }
        return new InferRequest(message.Id, tensors, outputs, NoBinaryOutputs);
    }

    /// <summary>The same request and the same checks for a message read by <see cref="ModelInferReader"/> (raw contents only).</summary>
    public static InferRequest ToRequest(ModelInferMessage message)
    {
        CheckCounts(message.Inputs.Length, message.RawCount);
        var tensors = new InferTensor[message.Inputs.Length];
        for (var i = 0; i < tensors.Length; i++)
        {
            var input = message.Inputs[i];
            var (name, type) = Check(i, input.Name, input.ElementType, input.UnsupportedDatatype);
            tensors[i] = new InferTensor(name, type, input.Shape, input.Data);
        }
        return new InferRequest(message.Id, tensors, message.Outputs, NoBinaryOutputs);
    }

    /// <summary>gRPC has no binary-output extension (every answer is raw or typed as a whole): one shared empty set.</summary>
    private static readonly IReadOnlySet<string> NoBinaryOutputs = System.Collections.Frozen.FrozenSet<string>.Empty;

    private static void CheckCounts(int inputs, int raw)
    {
        if (inputs == 0)
        {
            throw InferException.Invalid("inputs must hold at least one tensor");
        }
        if (raw > 0 && raw != inputs)
        {
            throw InferException.Invalid($"raw_input_contents has {raw} entries for {inputs} inputs; give one per input or none");
        }
    }

    private static (string Name, TensorElementType Type) Check(int index, string name, TensorElementType type, string? datatype)
    {
        if (name.Length == 0)
        {
            throw InferException.Invalid($"inputs[{index}].name is empty");
        }
        return type == TensorElementType.Undefined
            ? throw InferException.Invalid($"input '{name}': datatype '{datatype}' is not one of {Datatypes.Supported}")
            : (name, type);
    }

    /// <summary>
    /// The answer: raw when the request was, and also when an output has no typed contents field (FP16). raw_output_contents
    /// then holds every output, as the protocol has raw entries line up with outputs and clients (tritonclient's as_numpy,
    /// KServe's from_grpc) pair raw_output_contents[i] with outputs[i]; a mix would give one output another's bytes.
    /// </summary>
    public static ModelInferResponse ToResponse(InferResponse response, bool raw)
    {
        raw = raw || AnyWithoutTypedField(response.Outputs);
        var message = new ModelInferResponse { ModelName = response.ModelName, ModelVersion = response.ModelVersion, Id = response.Id };
        foreach (var output in response.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = Datatypes.Name(output.ElementType) };
            tensor.Shape.AddRange(output.Shape);
            if (raw)
            {
                message.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(output.Data)); // the array is this answer's own: no copy
            }
            else
            {
                tensor.Contents = GrpcTypedContents.FromTensor(output);
            }
            message.Outputs.Add(tensor);
        }
        return message;
    }

    private static bool AnyWithoutTypedField(IReadOnlyList<InferTensor> outputs)
    {
        for (var o = 0; o < outputs.Count; o++)
        {
            if (GrpcTypedContents.Field(outputs[o].ElementType) is null)
            {
                return true;
            }
        }
        return false;
    }
}
