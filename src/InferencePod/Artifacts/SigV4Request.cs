namespace RecOperator.InferencePod.Artifacts;

/// <summary>What <see cref="SigV4.Sign"/> signs: the request as it goes on the wire, the credentials and the scope.</summary>
/// <param name="CanonicalUri">The URI-encoded path, exactly as sent.</param>
/// <param name="CanonicalQuery">The canonical query string; empty when there is none.</param>
/// <param name="Headers">The headers to sign (at least host and every x-amz-* header sent), any case and order.</param>
/// <param name="PayloadHash">Hex sha256 of the body, or UNSIGNED-PAYLOAD; also the x-amz-content-sha256 header's value.</param>
public sealed record SigV4Request(
    string Method,
    string CanonicalUri,
    string CanonicalQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string PayloadHash,
    DateTimeOffset Time,
    string Region,
    string Service,
    string AccessKeyId,
    string SecretAccessKey);
