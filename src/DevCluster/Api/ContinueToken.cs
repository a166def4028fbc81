using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The opaque `continue` of a paged list, shaped like kube-apiserver's (unpadded URL-safe base64 of
/// <c>{"v":"meta.k8s.io/v1","rv":N,"start":KEY}</c>): the revision every page of the list is served at, and the storage
/// key the next page starts after. A negative revision, <see cref="Latest"/> (-1), is the server's own offer in a 410 answer: go on
/// after the key at whatever the latest revision is, accepting an inconsistent list.
/// </summary>
public sealed record ContinueToken(long Revision, string StartAfter)
{
    public const long Latest = -1;

    private const string Version = "meta.k8s.io/v1";

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject { ["v"] = Version, ["rv"] = Revision, ["start"] = StartAfter }.ToJsonString()));

    /// <summary>
    /// Reads a token; 400 in the real server's words for one that is not base64 or JSON, of another version, or
    /// without a revision or start key.
    /// </summary>
    public static ContinueToken Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw Invalid("continue key is not valid: illegal base64 data");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw Invalid($"continue key is not valid: {e.Message}");
        }
        var version = JsonTree.GetString(json, "v") ?? "";
        if (version != Version)
        {
            throw Invalid($"continue key is not valid: server does not recognize this encoded version {version}");
        }
        // rv 0 is what a token without a revision decodes to on the real server: refused. A negative one (the -1 it hands
        // out itself) means the latest revision.
        if (JsonTree.GetLong(json, "rv") is not { } revision || revision == 0)
        {
            throw Invalid($"continue key is not valid: incorrect encoded start resourceVersion (version {Version})");
        }
        if (JsonTree.GetString(json, "start") is not { Length: > 0 } start)
        {
            throw Invalid($"continue key is not valid: encoded start key empty (version {Version})");
        }
        return new ContinueToken(revision, start);
    }

    private static ApiException Invalid(string why) => ApiErrors.BadRequest($"invalid continue token: {why}");
}
