namespace RecOperator.InferencePod.Configuration;

/// <summary>Everything an inference pod is started with; set from CLI options or the environment the operator writes.</summary>
public sealed record PodOptions
{
    public string ModelName { get; init; } = "";

    public string Variant { get; init; } = "default";

    /// <summary>A file path, file:// URI or http(s):// URI of the ONNX artifact.</summary>
    public string Artifact { get; init; } = "";

    /// <summary>Expected lower-case hex sha256 of the artifact; empty skips the check.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>
    /// PEM file of CA certificates trusted for https:// artifact downloads besides the system's (a private artifact
    /// store's CA mounted from a ConfigMap or Secret); empty trusts the system's only.
    /// </summary>
    public string ArtifactCaFile { get; init; } = "";

    /// <summary>Folder that downloaded artifacts are cached in, named by the hash of their URI and expected sha256.</summary>
    public string CacheDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "recpod-cache");

    /// <summary>Address both ports bind to ("0.0.0.0" in a pod, "127.0.0.1" in tests).</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>REST port (HTTP/1.1); 0 picks a free port.</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>gRPC port (HTTP/2 cleartext); 0 picks a free port.</summary>
    public int GrpcPort { get; init; } = 8081;

    /// <summary>"CPU", "CUDA", "TensorRT", ...</summary>
    public string ExecutionProvider { get; init; } = "CPU";

    /// <summary>
    /// A plugin execution provider library (e.g. libonnxruntime_providers_cuda.so); empty finds it next to the loaded
    /// ONNX Runtime core, or uses a provider the core has built in.
    /// </summary>
    public string ExecutionProviderLibrary { get; init; } = "";

    /// <summary>Which of the provider's devices runs the model (a GPU pod sees only its own GPUs, so 0 by default).</summary>
    public int DeviceId { get; init; }

    /// <summary>Threads inside one operator (0 = the engine's default).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Rows one engine call may hold; 1 turns dynamic batching off.</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>How long the first queued request waits for others to join its batch.</summary>
    public int MaxQueueDelayMicros { get; init; } = 2000;

    /// <summary>Requests that may wait in the queue; one more is shed at once with 429 / RESOURCE_EXHAUSTED.</summary>
    public int MaxQueueRequests { get; init; } = 256;

    /// <summary>Engine calls run in parallel (each with its own buffers).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Deadline of a request without its own (grpc-timeout); a request still queued past it is dropped.</summary>
    public int RequestTimeoutMs { get; init; } = 10_000;

    /// <summary>Largest REST body or gRPC message accepted.</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Largest rows (candidates) one request may carry.</summary>
    public int MaxRowsPerRequest { get; init; } = 4096;

    /// <summary>Engine runs over synthetic inputs before the pod reports ready.</summary>
    public int WarmupRuns { get; init; } = 3;

    /// <summary>
    /// Whether the user side of a user/candidate model is computed once per request (user inputs fed at batch 1 and
    /// broadcast); false tiles user features once per candidate, the baseline the reuse benchmark compares with.
    /// </summary>
    public bool UserSideReuse { get; init; } = true;

    /// <summary>
    /// The user-side inputs (the RecModel's spec.inputs.user), replacing the artifact's <c>recoperator.user_inputs</c>
    /// metadata; null keeps the metadata's. Each must name an input of the model, or start-up stops naming it.
    /// </summary>
    public IReadOnlyList<string>? UserInputs { get; init; }

    /// <summary>After SIGTERM: readiness is false for this long before the listeners stop, so endpoints drop the pod.</summary>
    public int DrainDelayMs { get; init; } = 2000;

    /// <summary>Upper bound for the whole shutdown (drain delay + in-flight requests).</summary>
    public int ShutdownGraceSeconds { get; init; } = 25;
}
