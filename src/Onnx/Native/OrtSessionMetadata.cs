namespace RecOperator.Onnx.Native;

/// <summary>Reads a session's input or output names, element types and shapes (with symbolic dimensions).</summary>
internal static class OrtSessionMetadata
{
    private const int OnnxTypeTensor = 1;

    public static TensorMetadata[] Read(OrtApi api, nint session, bool inputs)
    {
        var allocator = api.DefaultAllocator();
        var count = inputs ? api.InputCount(session) : api.OutputCount(session);
        var result = new TensorMetadata[count];
        for (var i = 0; i < count; i++)
        {
            var name = inputs ? api.InputName(session, i, allocator) : api.OutputName(session, i, allocator);
            var typeInfo = api.TypeInfo(session, i, inputs);
            try
            {
                if (api.OnnxType(typeInfo) != OnnxTypeTensor)
                {
                    result[i] = new TensorMetadata(name, TensorElementType.Undefined, [], []);
                    continue;
                }
                var tensorInfo = api.TensorInfoOf(typeInfo);
                var dims = api.Dimensions(tensorInfo);
                result[i] = new TensorMetadata(name, (TensorElementType)api.ElementType(tensorInfo), dims,
                    api.SymbolicDimensions(tensorInfo, dims.Length));
            }
            finally
            {
                api.Release(OrtApiIndex.ReleaseTypeInfo, typeInfo);
            }
        }
        return result;
    }
}
