using Microsoft.Extensions.Logging;
using RecOperator.InferencePod.Configuration;
using RecOperator.InferencePod.Server;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>Pods on 127.0.0.1 with ports picked by the OS and logging kept out of the test output.</summary>
internal static class TestPods
{
    public static PodOptions Options(string artifact, string name = "dlrm") => new()
    {
        ModelName = name,
        Variant = "cpu-fp32",
        Artifact = artifact,
        BindAddress = "127.0.0.1",
        HttpPort = 0,
        GrpcPort = 0,
        IntraOpThreads = 1,
        WarmupRuns = 1,
        DrainDelayMs = 0,
        ShutdownGraceSeconds = 5,
        CacheDirectory = Path.Combine(Path.GetTempPath(), "recpod-tests-cache-" + Environment.ProcessId),
    };

    /// <summary>A pod on <paramref name="engine"/> (a fresh ONNX Runtime engine when null), logging nothing.</summary>
    public static Task<PodServer> StartAsync(PodOptions options, IInferenceEngine? engine = null) =>
        PodServer.StartAsync(options, engine ?? OrtEngine.Create(), logging => logging.SetMinimumLevel(LogLevel.None));

    public static HttpClient RestClient(PodServer pod) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{pod.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
}
