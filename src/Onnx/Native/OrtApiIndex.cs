namespace RecOperator.Onnx.Native;

/// <summary>
/// Positions of the functions this binding calls in ONNX Runtime's <c>OrtApi</c> table. The table is append-only, so a
/// position never changes between releases; these were counted in the order of the API-30 <c>onnxruntime_c_api.h</c>,
/// and the tests call functions at the far ends of the table (GetBuildInfoString, GetEpDevices, EpDevice_EpName) to
/// prove the count against the real library.
/// </summary>
internal static class OrtApiIndex
{
    public const int GetErrorCode = 1;
    public const int GetErrorMessage = 2;
    public const int CreateEnv = 3;
    public const int CreateSession = 7;
    public const int CreateSessionFromArray = 8;
    public const int Run = 9;
    public const int CreateSessionOptions = 10;
    public const int SetSessionExecutionMode = 13;
    public const int EnableCpuMemArena = 18;
    public const int DisableCpuMemArena = 19;
    public const int SetSessionGraphOptimizationLevel = 23;
    public const int SetIntraOpNumThreads = 24;
    public const int SetInterOpNumThreads = 25;
    public const int SessionGetInputCount = 30;
    public const int SessionGetOutputCount = 31;
    public const int SessionGetInputTypeInfo = 33;
    public const int SessionGetOutputTypeInfo = 34;
    public const int SessionGetInputName = 36;
    public const int SessionGetOutputName = 37;
    public const int CreateRunOptions = 39;
    public const int RunOptionsSetTerminate = 46;
    public const int RunOptionsUnsetTerminate = 47;
    public const int CreateTensorWithDataAsOrtValue = 49;
    public const int GetTensorMutableData = 51;
    public const int CastTypeInfoToTensorInfo = 55;
    public const int GetOnnxTypeFromTypeInfo = 56;
    public const int GetTensorElementType = 60;
    public const int GetDimensionsCount = 61;
    public const int GetDimensions = 62;
    public const int GetSymbolicDimensions = 63;
    public const int GetTensorTypeAndShape = 65;
    public const int CreateCpuMemoryInfo = 69;
    public const int AllocatorFree = 76;
    public const int GetAllocatorWithDefaultOptions = 78;
    public const int ReleaseEnv = 92;
    public const int ReleaseStatus = 93;
    public const int ReleaseMemoryInfo = 94;
    public const int ReleaseSession = 95;
    public const int ReleaseValue = 96;
    public const int ReleaseRunOptions = 97;
    public const int ReleaseTypeInfo = 98;
    public const int ReleaseTensorTypeAndShapeInfo = 99;
    public const int ReleaseSessionOptions = 100;
    public const int GetAvailableProviders = 125;
    public const int ReleaseAvailableProviders = 126;
    public const int SessionOptionsAppendExecutionProviderTensorRtV2 = 170;
    public const int CreateTensorRtProviderOptions = 171;
    public const int UpdateTensorRtProviderOptions = 172;
    public const int ReleaseTensorRtProviderOptions = 174;
    public const int SessionOptionsAppendExecutionProviderCudaV2 = 204;
    public const int CreateCudaProviderOptions = 205;
    public const int UpdateCudaProviderOptions = 206;
    public const int ReleaseCudaProviderOptions = 208;
    public const int SessionOptionsAppendExecutionProvider = 216;
    public const int GetBuildInfoString = 254;
    public const int RegisterExecutionProviderLibrary = 301;
    public const int GetEpDevices = 303;
    public const int SessionOptionsAppendExecutionProviderV2 = 304;
    public const int EpDeviceEpName = 312;
}
