using RecOperator.InferencePod.Grpc.V2;
using RecOperator.InferencePod.Model;
using RecOperator.InferencePod.Protocol;
using RecOperator.InferencePod.Server;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>The ModelMetadataResponse of the served model, the same facts as REST's model document.</summary>
internal static class GrpcModelMetadata
{
    public static ModelMetadataResponse Of(ServedModel model)
    {
        var response = new ModelMetadataResponse { Name = model.Name, Platform = ServerMetadata.Platform };
        response.Versions.Add(InferenceService.ModelVersion);
        response.Inputs.AddRange(model.DeclaredInputs.Select(Tensor));
        response.Outputs.AddRange(model.Outputs.Select(Tensor));
        return response;
    }

    private static ModelMetadataResponse.Types.TensorMetadata Tensor(Onnx.TensorMetadata tensor)
    {
        var metadata = new ModelMetadataResponse.Types.TensorMetadata { Name = tensor.Name, Datatype = Datatypes.Name(tensor.ElementType) };
        metadata.Shape.AddRange(tensor.Dimensions);
        return metadata;
    }
}
