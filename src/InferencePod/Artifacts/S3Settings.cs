namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// How s3:// artifacts are fetched, from the variables every AWS SDK and the AWS CLI read: credentials from
/// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (none: anonymous requests, for public buckets),
/// the region from AWS_REGION or AWS_DEFAULT_REGION, and an S3-compatible store's endpoint (MinIO, Ceph) from
/// AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL. An empty variable counts as unset.
/// </summary>
public sealed record S3Settings
{
    public const string AccessKeyIdVariable = "AWS_ACCESS_KEY_ID";
    public const string SecretAccessKeyVariable = "AWS_SECRET_ACCESS_KEY";
    public const string SessionTokenVariable = "AWS_SESSION_TOKEN";
    public const string RegionVariable = "AWS_REGION";
    public const string DefaultRegionVariable = "AWS_DEFAULT_REGION";
    public const string S3EndpointVariable = "AWS_ENDPOINT_URL_S3";
    public const string EndpointVariable = "AWS_ENDPOINT_URL";
    public const string DefaultRegion = "us-east-1";

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    /// <summary>Temporary credentials' token (STS, IRSA), sent and signed as x-amz-security-token.</summary>
    public string? SessionToken { get; init; }

    public string Region { get; init; } = DefaultRegion;

    /// <summary>Base URL of an S3-compatible store, whose objects are addressed path-style (ENDPOINT/BUCKET/KEY); null for AWS.</summary>
    public string? Endpoint { get; init; }

    /// <summary>No credentials at all: requests go unsigned, which public buckets allow.</summary>
    public bool Anonymous => AccessKeyId is null && SecretAccessKey is null;

    public static S3Settings FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? Read(string name) => variable(name) is { Length: > 0 } value ? value : null;
        return new S3Settings
        {
            AccessKeyId = Read(AccessKeyIdVariable),
            SecretAccessKey = Read(SecretAccessKeyVariable),
            SessionToken = Read(SessionTokenVariable),
            Region = Read(RegionVariable) ?? Read(DefaultRegionVariable) ?? DefaultRegion,
            // The service-specific variable wins over the global one, as in the AWS SDKs.
            Endpoint = Read(S3EndpointVariable) ?? Read(EndpointVariable),
        };
    }
}
