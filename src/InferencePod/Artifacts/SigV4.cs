using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// AWS Signature Version 4 for a request sent with an <c>Authorization</c> header, as pure functions: the canonical
/// request, the string to sign, the signing key and the signature, each exposed so a test can hold every step to
/// AWS's published examples. No clock and no I/O: the caller passes the request time.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>sha256 of an empty body: what a GET sends as x-amz-content-sha256 when its payload is signed.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>x-amz-date's format (ISO 8601 basic, UTC), e.g. 20130524T000000Z.</summary>
    public static string AmzDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The credential scope: DATE/REGION/SERVICE/aws4_request.</summary>
    public static string Scope(DateTimeOffset time, string region, string service) => $"{Date(time)}/{region}/{service}/aws4_request";

    /// <summary>
    /// The canonical request: method, canonical URI, canonical query, one <c>name:value</c> line per header (names
    /// lower-cased, sorted, values trimmed with inner runs of spaces collapsed), the signed header names and the
    /// payload hash.
    /// </summary>
    /// <param name="canonicalUri">The path exactly as sent, already URI-encoded (S3 encodes it once, see <see cref="EncodePath"/>).</param>
    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery, IEnumerable<KeyValuePair<string, string>> headers,
        string payloadHash)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var canonical = Canonical(headers);
        var text = new StringBuilder();
        text.Append(method).Append('\n')
            .Append(canonicalUri.Length == 0 ? "/" : canonicalUri).Append('\n')
            .Append(canonicalQuery).Append('\n');
        foreach (var (name, value) in canonical)
        {
            text.Append(name).Append(':').Append(value).Append('\n');
        }
        text.Append('\n').Append(SignedHeaders(headers)).Append('\n').Append(payloadHash);
        return text.ToString();
    }

    /// <summary>The header names the signature covers: lower-cased, sorted, joined by ';'.</summary>
    public static string SignedHeaders(IEnumerable<KeyValuePair<string, string>> headers) => string.Join(';', Canonical(headers).Select(h => h.Key));

    public static string StringToSign(DateTimeOffset time, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{AmzDate(time)}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary>HMAC chain from "AWS4" + secret through the date, region, service and "aws4_request".</summary>
    public static byte[] SigningKey(string secretAccessKey, DateTimeOffset time, string region, string service)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Date(time));
        key = Hmac(key, region);
        key = Hmac(key, service);
        return Hmac(key, "aws4_request");
    }

    public static string Signature(byte[] signingKey, string stringToSign) => Hex(Hmac(signingKey, stringToSign));

    public static string Authorization(string accessKeyId, string scope, string signedHeaders, string signature) =>
        $"{Algorithm} Credential={accessKeyId}/{scope},SignedHeaders={signedHeaders},Signature={signature}";

    /// <summary>Every step for one request, from the canonical request to the Authorization header's value.</summary>
    public static SigV4Signature Sign(SigV4Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var canonicalRequest = CanonicalRequest(request.Method, request.CanonicalUri, request.CanonicalQuery, request.Headers, request.PayloadHash);
        var scope = Scope(request.Time, request.Region, request.Service);
        var stringToSign = StringToSign(request.Time, scope, canonicalRequest);
        var signature = Signature(SigningKey(request.SecretAccessKey, request.Time, request.Region, request.Service), stringToSign);
        return new SigV4Signature(canonicalRequest, stringToSign, signature,
            Authorization(request.AccessKeyId, scope, SignedHeaders(request.Headers), signature));
    }

    /// <summary>
    /// An object key as a canonical URI path: every '/'-separated segment URI-encoded (only A-Z, a-z, 0-9, '-', '_',
    /// '.' and '~' stay as they are, the rest as %XX of its UTF-8 bytes), the slashes kept. S3 signs the path encoded
    /// once, not twice as other AWS services do, and the same string is what goes on the wire.
    /// </summary>
    public static string EncodePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return string.Join('/', path.Split('/').Select(UriEncode));
    }

    /// <summary>RFC 3986 percent-encoding of everything but the unreserved characters, with upper-case hex.</summary>
    public static string UriEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }

    private static List<KeyValuePair<string, string>> Canonical(IEnumerable<KeyValuePair<string, string>> headers) =>
        headers.Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), CollapseSpaces(h.Value.Trim())))
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .ToList();

    private static string CollapseSpaces(string value) => string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Date(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
