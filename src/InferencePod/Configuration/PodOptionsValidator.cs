namespace RecOperator.InferencePod.Configuration;

/// <summary>Pure checks of <see cref="PodOptions"/>: each problem names its setting (CLI option and environment variable).</summary>
public static class PodOptionsValidator
{
    public static IReadOnlyList<string> Validate(PodOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Require(errors, !string.IsNullOrWhiteSpace(options.ModelName), PodSettings.ModelName, "is required");
        Require(errors, options.ModelName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'), PodSettings.ModelName,
            $"'{options.ModelName}' may hold only letters, digits, '-', '_' and '.'");
        Require(errors, !string.IsNullOrWhiteSpace(options.Variant), PodSettings.Variant, "is required");
        Require(errors, !string.IsNullOrWhiteSpace(options.Artifact), PodSettings.Artifact, "is required");
        Require(errors, options.Sha256.Length == 0 || (options.Sha256.Length == 64 && options.Sha256.All(char.IsAsciiHexDigit)),
            PodSettings.Sha256, $"'{options.Sha256}' is not 64 hex digits");
        Require(errors, options.HttpPort is >= 0 and <= 65535, PodSettings.HttpPort, $"{options.HttpPort} is not a port (0-65535)");
        Require(errors, options.GrpcPort is >= 0 and <= 65535, PodSettings.GrpcPort, $"{options.GrpcPort} is not a port (0-65535)");
        Require(errors, options.HttpPort == 0 || options.HttpPort != options.GrpcPort, PodSettings.GrpcPort,
            $"{options.GrpcPort} equals the HTTP port; REST and gRPC need their own ports");
        Require(errors, System.Net.IPAddress.TryParse(options.BindAddress, out _), PodSettings.BindAddress, $"'{options.BindAddress}' is not an IP address");
        Require(errors, !string.IsNullOrWhiteSpace(options.ExecutionProvider), PodSettings.ExecutionProvider, "is required");
        Require(errors, options.DeviceId >= 0, PodSettings.DeviceId, $"{options.DeviceId} must be 0 or more");
        Require(errors, options.IntraOpThreads >= 0, PodSettings.IntraOpThreads, $"{options.IntraOpThreads} must be 0 (engine default) or more");
        Require(errors, options.MaxBatchSize is >= 1 and <= 65_536, PodSettings.MaxBatchSize, $"{options.MaxBatchSize} must be 1 to 65536");
        Require(errors, options.MaxQueueDelayMicros is >= 0 and <= 1_000_000, PodSettings.MaxQueueDelayMicros,
            $"{options.MaxQueueDelayMicros} must be 0 to 1000000");
        Require(errors, options.MaxQueueRequests is >= 1 and <= 1_000_000, PodSettings.MaxQueueRequests, $"{options.MaxQueueRequests} must be 1 to 1000000");
        Require(errors, options.Workers is >= 1 and <= 64, PodSettings.Workers, $"{options.Workers} must be 1 to 64");
        Require(errors, options.RequestTimeoutMs >= 1, PodSettings.RequestTimeoutMs, $"{options.RequestTimeoutMs} must be at least 1");
        Require(errors, options.MaxMessageBytes >= 1024, PodSettings.MaxMessageBytes, $"{options.MaxMessageBytes} must be at least 1024");
        Require(errors, options.MaxRowsPerRequest >= 1, PodSettings.MaxRowsPerRequest, $"{options.MaxRowsPerRequest} must be at least 1");
        Require(errors, options.WarmupRuns >= 0, PodSettings.WarmupRuns, $"{options.WarmupRuns} must be 0 or more");
        Require(errors, options.DrainDelayMs >= 0, PodSettings.DrainDelayMs, $"{options.DrainDelayMs} must be 0 or more");
        Require(errors, options.ShutdownGraceSeconds >= 1, PodSettings.ShutdownGraceSeconds, $"{options.ShutdownGraceSeconds} must be at least 1");
        // The delay (readiness already false, endpoints catching up) comes out of the grace period: one as long leaves
        // no time for the requests in flight, and the drain would be cut off by design.
        Require(errors, options.DrainDelayMs < 1000L * Math.Max(1, options.ShutdownGraceSeconds), PodSettings.DrainDelayMs,
            $"{options.DrainDelayMs} ms must be shorter than {PodSettings.ShutdownGraceSeconds.Option} ({options.ShutdownGraceSeconds} s), "
            + "or no time is left for the requests in flight");
        return errors;
    }

    private static void Require(List<string> errors, bool condition, PodSetting setting, string problem)
    {
        if (!condition)
        {
            errors.Add($"{setting.Option} ({setting.EnvironmentVariable}): {problem}");
        }
    }
}
