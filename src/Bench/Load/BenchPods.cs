using Microsoft.Extensions.Logging;
using RecOperator.InferencePod.Configuration;
using RecOperator.InferencePod.Server;
using RecOperator.Onnx;

namespace RecOperator.Bench.Load;

/// <summary>The inference pod as every benchmark runs it: in process, on loopback ports the OS picks, logging warnings only.</summary>
public static class BenchPods
{
    /// <summary>
    /// Settings every benchmark pod shares: no drain delay (runs stop at once) and a deep queue, so an open-loop ladder
    /// measures latency rather than shed requests.
    /// </summary>
    public static PodOptions Options(string model, string artifact, int threads) => new()
    {
        ModelName = model, Artifact = artifact, BindAddress = "127.0.0.1", HttpPort = 0, GrpcPort = 0, IntraOpThreads = threads, WarmupRuns = 3,
        DrainDelayMs = 0, MaxQueueRequests = 4096,
    };

    public static Task<PodServer> StartAsync(PodOptions options, IInferenceEngine? engine = null) =>
        PodServer.StartAsync(options, engine ?? OrtEngine.Create(), logging => logging.SetMinimumLevel(LogLevel.Warning));
}
