using System.Collections;
using System.Globalization;

namespace RecOperator.InferencePod.Configuration;

/// <summary>Reads pod settings from environment variables (as the operator writes them into the Deployment).</summary>
public static class PodEnvironment
{
    /// <summary>The current process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Current()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            values[(string)entry.Key] = entry.Value as string ?? "";
        }
        return values;
    }

    /// <summary>Applies every RECPOD_* variable present over <paramref name="defaults"/>; unparsable values are reported by name.</summary>
    public static PodOptions Apply(PodOptions defaults, IReadOnlyDictionary<string, string> environment, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(errors);
        var reader = new Reader(environment, errors);
        return defaults with
        {
            ModelName = reader.Text(PodSettings.ModelName) ?? defaults.ModelName,
            Variant = reader.Text(PodSettings.Variant) ?? defaults.Variant,
            Artifact = reader.Text(PodSettings.Artifact) ?? defaults.Artifact,
            Sha256 = reader.Text(PodSettings.Sha256)?.ToLowerInvariant() ?? defaults.Sha256,
            ArtifactCaFile = reader.Text(PodSettings.ArtifactCa) ?? defaults.ArtifactCaFile,
            CacheDirectory = reader.Text(PodSettings.CacheDirectory) ?? defaults.CacheDirectory,
            BindAddress = reader.Text(PodSettings.BindAddress) ?? defaults.BindAddress,
            HttpPort = reader.Int(PodSettings.HttpPort) ?? defaults.HttpPort,
            GrpcPort = reader.Int(PodSettings.GrpcPort) ?? defaults.GrpcPort,
            ExecutionProvider = reader.Text(PodSettings.ExecutionProvider) ?? defaults.ExecutionProvider,
            ExecutionProviderLibrary = reader.Text(PodSettings.ExecutionProviderLibrary) ?? defaults.ExecutionProviderLibrary,
            DeviceId = reader.Int(PodSettings.DeviceId) ?? defaults.DeviceId,
            IntraOpThreads = reader.Int(PodSettings.IntraOpThreads) ?? defaults.IntraOpThreads,
            MaxBatchSize = reader.Int(PodSettings.MaxBatchSize) ?? defaults.MaxBatchSize,
            MaxQueueDelayMicros = reader.Int(PodSettings.MaxQueueDelayMicros) ?? defaults.MaxQueueDelayMicros,
            MaxQueueRequests = reader.Int(PodSettings.MaxQueueRequests) ?? defaults.MaxQueueRequests,
            Workers = reader.Int(PodSettings.Workers) ?? defaults.Workers,
            RequestTimeoutMs = reader.Int(PodSettings.RequestTimeoutMs) ?? defaults.RequestTimeoutMs,
            MaxMessageBytes = reader.Int(PodSettings.MaxMessageBytes) ?? defaults.MaxMessageBytes,
            MaxRowsPerRequest = reader.Int(PodSettings.MaxRowsPerRequest) ?? defaults.MaxRowsPerRequest,
            WarmupRuns = reader.Int(PodSettings.WarmupRuns) ?? defaults.WarmupRuns,
            UserSideReuse = reader.Bool(PodSettings.UserSideReuse) ?? defaults.UserSideReuse,
            UserInputs = PodSettingLists.Split(reader.Text(PodSettings.UserInputs)) ?? defaults.UserInputs,
            DrainDelayMs = reader.Int(PodSettings.DrainDelayMs) ?? defaults.DrainDelayMs,
            ShutdownGraceSeconds = reader.Int(PodSettings.ShutdownGraceSeconds) ?? defaults.ShutdownGraceSeconds,
        };
    }

    private sealed class Reader(IReadOnlyDictionary<string, string> environment, ICollection<string> errors)
    {
        public string? Text(PodSetting setting) =>
            environment.TryGetValue(setting.EnvironmentVariable, out var value) && value.Length > 0 ? value : null;

        public int? Int(PodSetting setting)
        {
            var text = Text(setting);
            if (text is null)
            {
                return null;
            }
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
            errors.Add($"{setting.EnvironmentVariable} ({setting.Option}): '{text}' is not an integer");
            return null;
        }

        public bool? Bool(PodSetting setting)
        {
            var text = Text(setting);
            if (text is null)
            {
                return null;
            }
            if (bool.TryParse(text, out var value))
            {
                return value;
            }
            errors.Add($"{setting.EnvironmentVariable} ({setting.Option}): '{text}' is not true or false");
            return null;
        }
    }
}
