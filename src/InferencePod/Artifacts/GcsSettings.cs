namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// How gs:// artifacts are fetched, from the variables Google's client libraries read: a bearer token from
/// GOOGLE_OAUTH_ACCESS_TOKEN, else the GCE/GKE metadata server's (GCE_METADATA_HOST replaces its host), else none
/// (public objects); STORAGE_EMULATOR_HOST replaces the JSON API's scheme and host (fake-gcs-server and the like).
/// An empty variable counts as unset.
/// </summary>
public sealed record GcsSettings
{
    public const string AccessTokenVariable = "GOOGLE_OAUTH_ACCESS_TOKEN";
    public const string EmulatorHostVariable = "STORAGE_EMULATOR_HOST";
    public const string MetadataHostVariable = "GCE_METADATA_HOST";
    public const string DefaultApiBase = "https://storage.googleapis.com";
    public const string DefaultMetadataHost = "metadata.google.internal";

    public string? AccessToken { get; init; }

    /// <summary>Scheme and host (and port) the JSON API is reached at.</summary>
    public string ApiBase { get; init; } = DefaultApiBase;

    /// <summary>Host (and port) of the metadata server.</summary>
    public string MetadataHost { get; init; } = DefaultMetadataHost;

    /// <summary>
    /// How long the metadata server may take to give a token. Short: off GCE and GKE it is not there, and a public
    /// object must not wait on it; on GKE it answers in milliseconds.
    /// </summary>
    public TimeSpan MetadataTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public static GcsSettings FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? Read(string name) => variable(name) is { Length: > 0 } value ? value : null;
        var emulator = Read(EmulatorHostVariable);
        return new GcsSettings
        {
            AccessToken = Read(AccessTokenVariable),
            // The emulator variable is usually host:port without a scheme; the client libraries then use http.
            ApiBase = emulator is null ? DefaultApiBase : emulator.Contains("://", StringComparison.Ordinal) ? emulator.TrimEnd('/') : "http://" + emulator,
            MetadataHost = Read(MetadataHostVariable) ?? DefaultMetadataHost,
        };
    }
}
