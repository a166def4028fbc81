namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// An object in a bucket store, from <c>s3://BUCKET/KEY</c> or <c>gs://BUCKET/OBJECT</c>. The key is taken
/// verbatim, as the AWS CLI and gcloud take it: no percent-decoding, so a key may hold any character the store allows.
/// </summary>
public readonly record struct ObjectLocation(string Scheme, string Bucket, string Key)
{
    public const string S3Scheme = "s3";
    public const string GcsScheme = "gs";

    /// <summary>Whether the text is an s3:// or gs:// URI (checked before any URI parsing, which would re-escape the key).</summary>
    public static bool IsObjectUri(string artifact) =>
        artifact.StartsWith(S3Scheme + "://", StringComparison.Ordinal) || artifact.StartsWith(GcsScheme + "://", StringComparison.Ordinal);

    /// <summary>The bucket and key of an s3:// or gs:// URI; one without both is a clear error.</summary>
    public static ObjectLocation Parse(string artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var separator = artifact.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator > 0 ? artifact[..separator] : "";
        if (scheme is not (S3Scheme or GcsScheme))
        {
            throw new ArgumentException($"'{artifact}' is not an s3:// or gs:// URI", nameof(artifact));
        }
        var rest = artifact[(separator + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
        {
            throw new ArtifactException($"artifact '{artifact}' must name a bucket and an object: {scheme}://BUCKET/{(scheme == S3Scheme ? "KEY" : "OBJECT")}");
        }
        return new ObjectLocation(scheme, rest[..slash], rest[(slash + 1)..]);
    }

    /// <summary>The object named <paramref name="fileName"/> under the same prefix ("folder") of the same bucket.</summary>
    public ObjectLocation Sibling(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        var slash = Key.LastIndexOf('/');
        return this with { Key = Key[..(slash + 1)] + fileName };
    }

    public override string ToString() => $"{Scheme}://{Bucket}/{Key}";
}
