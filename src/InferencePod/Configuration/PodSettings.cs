namespace RecOperator.InferencePod.Configuration;

/// <summary>The names of every pod setting, shared by the CLI, the environment reader, messages and the operator.</summary>
public static class PodSettings
{
    public static readonly PodSetting ModelName = new("--model-name", "RECPOD_MODEL_NAME");
    public static readonly PodSetting Variant = new("--variant", "RECPOD_VARIANT");
    public static readonly PodSetting Artifact = new("--artifact", "RECPOD_ARTIFACT");
    public static readonly PodSetting Sha256 = new("--sha256", "RECPOD_SHA256");
    public static readonly PodSetting ArtifactCa = new("--artifact-ca", "RECPOD_ARTIFACT_CA");
    public static readonly PodSetting CacheDirectory = new("--cache-dir", "RECPOD_CACHE_DIR");
    public static readonly PodSetting BindAddress = new("--bind", "RECPOD_BIND_ADDRESS");
    public static readonly PodSetting HttpPort = new("--http-port", "RECPOD_HTTP_PORT");
    public static readonly PodSetting GrpcPort = new("--grpc-port", "RECPOD_GRPC_PORT");
    public static readonly PodSetting ExecutionProvider = new("--execution-provider", "RECPOD_EXECUTION_PROVIDER");
    public static readonly PodSetting ExecutionProviderLibrary = new("--execution-provider-library", "RECPOD_EXECUTION_PROVIDER_LIBRARY");
    public static readonly PodSetting DeviceId = new("--device-id", "RECPOD_DEVICE_ID");
    public static readonly PodSetting IntraOpThreads = new("--threads", "RECPOD_THREADS");
    public static readonly PodSetting MaxBatchSize = new("--max-batch-size", "RECPOD_MAX_BATCH_SIZE");
    public static readonly PodSetting MaxQueueDelayMicros = new("--max-queue-delay-micros", "RECPOD_MAX_QUEUE_DELAY_MICROS");
    public static readonly PodSetting MaxQueueRequests = new("--max-queue-requests", "RECPOD_MAX_QUEUE_REQUESTS");
    public static readonly PodSetting Workers = new("--workers", "RECPOD_WORKERS");
    public static readonly PodSetting RequestTimeoutMs = new("--request-timeout-ms", "RECPOD_REQUEST_TIMEOUT_MS");
    public static readonly PodSetting MaxMessageBytes = new("--max-message-bytes", "RECPOD_MAX_MESSAGE_BYTES");
    public static readonly PodSetting MaxRowsPerRequest = new("--max-rows-per-request", "RECPOD_MAX_ROWS_PER_REQUEST");
    public static readonly PodSetting WarmupRuns = new("--warmup-runs", "RECPOD_WARMUP_RUNS");
    public static readonly PodSetting UserSideReuse = new("--user-side-reuse", "RECPOD_USER_SIDE_REUSE");
    public static readonly PodSetting DrainDelayMs = new("--drain-delay-ms", "RECPOD_DRAIN_DELAY_MS");
    public static readonly PodSetting ShutdownGraceSeconds = new("--shutdown-grace-seconds", "RECPOD_SHUTDOWN_GRACE_SECONDS");
}
