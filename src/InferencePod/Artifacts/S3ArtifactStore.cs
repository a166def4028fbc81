namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// s3:// artifacts: a GET of the object signed with SigV4 (the payload hash of an empty body, x-amz-date, and
/// x-amz-security-token for temporary credentials), or unsigned without credentials. AWS is addressed
/// virtual-hosted (<c>https://BUCKET.s3.REGION.amazonaws.com/KEY</c>); a configured endpoint path-style
/// (<c>ENDPOINT/BUCKET/KEY</c>), as MinIO and Ceph need.
/// </summary>
internal sealed class S3ArtifactStore(S3Settings settings, TimeProvider time) : IArtifactStore
{
    private const string Service = "s3";

    public Task<StoreRequest> RequestAsync(string artifact, CancellationToken cancellationToken) =>
        Task.FromResult(Create(settings, ObjectLocation.Parse(artifact), time.GetUtcNow()));

    public string Refusal(StoreRequest request, HttpResponseMessage response, string body)
    {
        var text = $"S3 answered {(int)response.StatusCode} {response.ReasonPhrase}";
        if (StoreErrorBodies.S3(body) is { } detail)
        {
            text += ": " + detail;
        }
        // S3 names the bucket's region when asked in the wrong one (301 PermanentRedirect, 400 AuthorizationHeaderMalformed).
        if (response.Headers.TryGetValues("x-amz-bucket-region", out var regions) && regions.FirstOrDefault() is { Length: > 0 } region && region != settings.Region)
        {
            text += $"; the bucket is in {region}, not {settings.Region}: set {S3Settings.RegionVariable}={region}";
        }
        return (int)response.StatusCode is 401 or 403 ? $"{text} ({request.Credentials})" : text;
    }

    /// <summary>The request for one object at <paramref name="now"/>: URL, Host, and when there are credentials the signature. Pure.</summary>
    public static StoreRequest Create(S3Settings settings, ObjectLocation location, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (origin, host, path) = Address(settings, location);
        // The path is sent exactly as it was signed: .NET would otherwise resolve "." and ".." segments of a key.
        var message = new HttpRequestMessage(HttpMethod.Get, new Uri(origin + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        message.Headers.Host = host;
        if (settings.Anonymous)
        {
            return new StoreRequest(message, $"sent unsigned: {S3Settings.AccessKeyIdVariable} and {S3Settings.SecretAccessKeyVariable} are not set");
        }
        if (settings.AccessKeyId is null || settings.SecretAccessKey is null)
        {
            message.Dispose();
            var (set, missing) = settings.AccessKeyId is null
                ? (S3Settings.SecretAccessKeyVariable, S3Settings.AccessKeyIdVariable)
                : (S3Settings.AccessKeyIdVariable, S3Settings.SecretAccessKeyVariable);
            throw new ArtifactException($"artifact '{location}': {set} is set but {missing} is not; set both, or neither for a public bucket");
        }
        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", host),
            new("x-amz-content-sha256", SigV4.EmptyPayloadHash),
            new("x-amz-date", SigV4.AmzDate(now)),
        };
        if (settings.SessionToken is { } token)
        {
            headers.Add(new("x-amz-security-token", token));
        }
        var signature = SigV4.Sign(new SigV4Request("GET", path, "", headers, SigV4.EmptyPayloadHash, now, settings.Region, Service,
            settings.AccessKeyId, settings.SecretAccessKey));
        foreach (var (name, value) in headers.Where(h => h.Key != "host"))
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        message.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        var temporary = settings.SessionToken is null ? "" : $" and {S3Settings.SessionTokenVariable}";
        return new StoreRequest(message, $"signed with {S3Settings.AccessKeyIdVariable}{temporary} for region {settings.Region}");
    }

    /// <summary>Where the object is: the origin (scheme://authority), the Host header and the encoded path. Pure.</summary>
    public static (string Origin, string Host, string Path) Address(S3Settings settings, ObjectLocation location)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var key = SigV4.EncodePath(location.Key);
        if (settings.Endpoint is { } endpoint)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https") || baseUri.Query.Length > 0)
            {
                throw new ArtifactException(
                    $"artifact '{location}': the S3 endpoint '{endpoint}' ({S3Settings.S3EndpointVariable} or {S3Settings.EndpointVariable}) is not an http:// or https:// URL");
            }
            var prefix = baseUri.AbsolutePath.TrimEnd('/');
            return ($"{baseUri.Scheme}://{baseUri.Authority}", baseUri.Authority, $"{prefix}/{SigV4.UriEncode(location.Bucket)}/{key}");
        }
        // A bucket name with dots would not match the *.s3.REGION.amazonaws.com certificate as a host name: such
        // buckets are addressed path-style, as the AWS SDKs do.
        if (location.Bucket.Contains('.', StringComparison.Ordinal))
        {
            var regional = $"s3.{settings.Region}.amazonaws.com";
            return ($"https://{regional}", regional, $"/{SigV4.UriEncode(location.Bucket)}/{key}");
        }
        var host = $"{location.Bucket}.s3.{settings.Region}.amazonaws.com";
        return ($"https://{host}", host, "/" + key);
    }
}
