using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// What a service-account token says, in the claims kube-apiserver puts in its JWTs: issuer, audiences, validity, the
/// account (namespace, name, uid), the bound object and, for a kubelet's token that was extended to a year, when the
/// requested hour ran out (warnafter).
/// </summary>
public sealed record TokenClaims(
    string Issuer,
    IReadOnlyList<string> Audiences,
    DateTimeOffset IssuedAt,
    DateTimeOffset Expires,
    string Namespace,
    string ServiceAccountName,
    string ServiceAccountUid,
    BoundObject? BoundTo,
    DateTimeOffset? WarnAfter,
    string Id)
{
    private const string PrivateClaims = "kubernetes.io";

    public string Subject => ServiceAccountUsers.Username(Namespace, ServiceAccountName);

    public JsonObject ToJson()
    {
        var kubernetes = new JsonObject
        {
            ["namespace"] = Namespace,
            ["serviceaccount"] = new JsonObject { ["name"] = ServiceAccountName, ["uid"] = ServiceAccountUid },
        };
        if (BoundTo is { } bound)
        {
            kubernetes[bound.Kind.ToLowerInvariant()] = new JsonObject { ["name"] = bound.Name, ["uid"] = bound.Uid };
        }
        if (WarnAfter is { } warnAfter)
        {
            kubernetes["warnafter"] = warnAfter.ToUnixTimeSeconds();
        }
        return new JsonObject
        {
            ["aud"] = new JsonArray(Audiences.Select(a => (JsonNode?)a).ToArray()),
            ["exp"] = Expires.ToUnixTimeSeconds(),
            ["iat"] = IssuedAt.ToUnixTimeSeconds(),
            ["iss"] = Issuer,
            ["jti"] = Id,
            [PrivateClaims] = kubernetes,
            ["nbf"] = IssuedAt.ToUnixTimeSeconds(),
            ["sub"] = Subject,
        };
    }

    /// <summary>The claims of a verified token's payload; null when a claim this server writes is missing or malformed.</summary>
    public static TokenClaims? FromJson(JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload[PrivateClaims] is not JsonObject kubernetes || kubernetes["serviceaccount"] is not JsonObject account
            || Text(payload, "iss") is not { } issuer || Seconds(payload, "iat") is not { } issued || Seconds(payload, "exp") is not { } expires
            || Text(kubernetes, "namespace") is not { } ns || Text(account, "name") is not { } name || Text(account, "uid") is not { } uid)
        {
            return null;
        }
        var audiences = payload["aud"] switch
        {
            JsonArray many => many.Select(a => a?.GetValue<string>() ?? "").ToList(),
            JsonValue one when one.TryGetValue<string>(out var single) => [single],
            _ => [],
        };
        BoundObject? bound = null;
        foreach (var kind in new[] { "Pod", "Secret" })
        {
            if (kubernetes[kind.ToLowerInvariant()] is JsonObject reference && Text(reference, "name") is { } boundName && Text(reference, "uid") is { } boundUid)
            {
                bound = new BoundObject(kind, boundName, boundUid);
            }
        }
        return new TokenClaims(issuer, audiences, issued, expires, ns, name, uid, bound, Seconds(kubernetes, "warnafter"), Text(payload, "jti") ?? "");
    }

    private static string? Text(JsonObject obj, string claim) =>
        obj[claim] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static DateTimeOffset? Seconds(JsonObject obj, string claim) =>
        obj[claim] is JsonValue value && value.TryGetValue<long>(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
