namespace RecOperator.Onnx.Native;

/// <summary>
/// The process's one <c>OrtEnv</c> (ORT keeps a single environment per process) and the CPU memory description every
/// tensor over host memory uses. Plugin execution provider libraries are registered here once per path.
/// </summary>
internal sealed class OrtEnvironment
{
    private const int WarningLogLevel = 2;
    private static readonly Lazy<OrtEnvironment> Shared = new(() => new OrtEnvironment(OrtApi.Instance));
    private readonly Dictionary<string, string> _pluginRegistrations = new(StringComparer.Ordinal);
    private readonly Lock _registrationGate = new();

    private OrtEnvironment(OrtApi api)
    {
        Api = api;
        Env = new OrtEnvHandle(api.CreateEnv(WarningLogLevel, "recoperator"));
        CpuMemory = new OrtMemoryInfoHandle(api.CreateCpuMemoryInfo());
    }

    public static OrtEnvironment Instance => Shared.Value;

    public OrtApi Api { get; }

    public OrtEnvHandle Env { get; }

    public OrtMemoryInfoHandle CpuMemory { get; }

    /// <summary>Registers a plugin provider library once; a second request for the same path is a no-op.</summary>
    public void RegisterPluginLibrary(string registrationName, string path)
    {
        var fullPath = Path.GetFullPath(path);
        lock (_registrationGate)
        {
            if (_pluginRegistrations.ContainsKey(fullPath))
            {
                return;
            }
            if (!File.Exists(fullPath))
            {
                throw new ExecutionProviderException(registrationName,
                    $"execution provider '{registrationName}': plugin library '{fullPath}' does not exist");
            }
            Api.RegisterProviderLibrary(Env.DangerousGetHandle(), $"{registrationName}-{_pluginRegistrations.Count}", fullPath);
            _pluginRegistrations[fullPath] = registrationName;
        }
    }
}
