namespace RecOperator.InferencePod.Artifacts;

/// <summary>Endpoints and credentials of the bucket stores (s3://, gs://), read from their standard environment variables.</summary>
public sealed record ObjectStoreSettings(S3Settings S3, GcsSettings Gcs)
{
    /// <summary>AWS and Google's public endpoints, no credentials (GCS still asks the metadata server for a token).</summary>
    public static ObjectStoreSettings Default { get; } = new(new S3Settings(), new GcsSettings());

    /// <param name="variable">Reads one environment variable, e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    public static ObjectStoreSettings FromEnvironment(Func<string, string?> variable) =>
        new(S3Settings.FromEnvironment(variable), GcsSettings.FromEnvironment(variable));
}
