namespace RecOperator.InferencePod.Configuration;

/// <summary>The names of every pod setting, shared by the CLI, the environment reader, messages and the operator.</summary>
public static class PodSettings
{
    public static readonly PodSetting ModelName = new("--model-name", "RECPOD_MODEL_NAME",
        "Name the model is served under, as in /v2/models/{name} (required)");
    public static readonly PodSetting Variant = new("--variant", "RECPOD_VARIANT",
        "Variant name reported in metrics and metadata [default: default]");
    public static readonly PodSetting Artifact = new("--artifact", "RECPOD_ARTIFACT",
        "ONNX artifact (required): a file path or file:// URI; or downloaded into --cache-dir: http(s)://, " +
        "s3://BUCKET/KEY (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION or AWS_DEFAULT_REGION [us-east-1], " +
        "AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL for MinIO/Ceph, path-style; no keys: unsigned), " +
        "gs://BUCKET/OBJECT (token from GOOGLE_OAUTH_ACCESS_TOKEN, else the metadata server [GCE_METADATA_HOST], else anonymous; STORAGE_EMULATOR_HOST)");
    public static readonly PodSetting Sha256 = new("--sha256", "RECPOD_SHA256",
        "Expected lower-case hex sha256 of the artifact; a mismatch stops start-up; empty skips the check");
    public static readonly PodSetting ArtifactCa = new("--artifact-ca", "RECPOD_ARTIFACT_CA",
        "PEM file of CA certificates trusted for https://, s3:// and gs:// artifacts besides the system's, e.g. a private store's CA mounted from a ConfigMap or Secret; SSL_CERT_FILE / SSL_CERT_DIR replace the system's bundle instead");
    public static readonly PodSetting CacheDirectory = new("--cache-dir", "RECPOD_CACHE_DIR",
        "Folder downloaded artifacts are cached in, keyed by URI and sha256 [default: $TMPDIR/recpod-cache]");
    public static readonly PodSetting BindAddress = new("--bind", "RECPOD_BIND_ADDRESS",
        "Address both ports bind to [default: 0.0.0.0]");
    public static readonly PodSetting HttpPort = new("--http-port", "RECPOD_HTTP_PORT",
        "REST port (HTTP/1.1); 0 picks a free port [default: 8080]");
    public static readonly PodSetting GrpcPort = new("--grpc-port", "RECPOD_GRPC_PORT",
        "gRPC port (HTTP/2 cleartext); 0 picks a free port [default: 8081]");
    public static readonly PodSetting ExecutionProvider = new("--execution-provider", "RECPOD_EXECUTION_PROVIDER",
        "ONNX Runtime execution provider: CPU, CUDA, TensorRT, ... [default: CPU]");
    public static readonly PodSetting ExecutionProviderLibrary = new("--execution-provider-library", "RECPOD_EXECUTION_PROVIDER_LIBRARY",
        "Plugin execution provider library; empty finds it next to the ONNX Runtime core");
    public static readonly PodSetting DeviceId = new("--device-id", "RECPOD_DEVICE_ID",
        "Which of the provider's devices runs the model [default: 0]");
    public static readonly PodSetting IntraOpThreads = new("--threads", "RECPOD_THREADS",
        "Threads inside one operator; 0 is the engine's default [default: 0]");
    public static readonly PodSetting MaxBatchSize = new("--max-batch-size", "RECPOD_MAX_BATCH_SIZE",
        "Rows one engine call may hold; 1 turns dynamic batching off [default: 64]");
    public static readonly PodSetting MaxQueueDelayMicros = new("--max-queue-delay-micros", "RECPOD_MAX_QUEUE_DELAY_MICROS",
        "How long the first queued request waits for others to join its batch [default: 2000]");
    public static readonly PodSetting MaxQueueRequests = new("--max-queue-requests", "RECPOD_MAX_QUEUE_REQUESTS",
        "Requests that may wait in the queue; one more is shed at once with 429 / RESOURCE_EXHAUSTED [default: 256]");
    public static readonly PodSetting Workers = new("--workers", "RECPOD_WORKERS",
        "Engine calls run in parallel [default: 1]");
    public static readonly PodSetting RequestTimeoutMs = new("--request-timeout-ms", "RECPOD_REQUEST_TIMEOUT_MS",
        "Deadline of a request without its own grpc-timeout; one still queued past it is dropped [default: 10000]");
    public static readonly PodSetting MaxMessageBytes = new("--max-message-bytes", "RECPOD_MAX_MESSAGE_BYTES",
        "Largest REST body or gRPC message accepted [default: 16777216]");
    public static readonly PodSetting MaxRowsPerRequest = new("--max-rows-per-request", "RECPOD_MAX_ROWS_PER_REQUEST",
        "Most rows (candidates) one request may carry [default: 4096]");
    public static readonly PodSetting WarmupRuns = new("--warmup-runs", "RECPOD_WARMUP_RUNS",
        "Engine runs over synthetic inputs before the pod reports ready [default: 3]");
    public static readonly PodSetting UserSideReuse = new("--user-side-reuse", "RECPOD_USER_SIDE_REUSE",
        "Compute the user side of a user/candidate model once per request instead of tiling it per candidate [default: true]");
    public static readonly PodSetting UserInputs = new("--user-inputs", "RECPOD_USER_INPUTS",
        "Comma-separated names of the user-side inputs (one row per request); each must be an input of the model; replaces the artifact's recoperator.user_inputs metadata [default: the metadata's]");
    public static readonly PodSetting DrainDelayMs = new("--drain-delay-ms", "RECPOD_DRAIN_DELAY_MS",
        "After SIGTERM, readiness is false for this long before the listeners stop [default: 2000]");
    public static readonly PodSetting ShutdownGraceSeconds = new("--shutdown-grace-seconds", "RECPOD_SHUTDOWN_GRACE_SECONDS",
        "After SIGTERM, requests still in flight after this many seconds are cut off and the pod exits; keep it below the pod's terminationGracePeriodSeconds [default: 25]");
}
