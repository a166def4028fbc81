using System.Collections.Concurrent;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// Issues service-account tokens (signed JWTs with <see cref="TokenClaims"/>) and reads back the claims of one this
/// server signed. A signature is checked once per token and remembered: a pod sends the same token with every request,
/// and whether the account and the bound object still exist is checked each time by <see cref="ServiceAccountTokenValidator"/>.
/// </summary>
public sealed class ServiceAccountTokens(TokenSigningKey key)
{
    /// <summary>The issuer and the API server's audience (a kind cluster's defaults): a token for another audience is refused.</summary>
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    private const int RememberedTokens = 4096;

    private readonly ConcurrentDictionary<string, TokenClaims> _verified = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> ApiAudiences { get; } = [Issuer];

    public string Issue(TokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return key.Sign(claims.ToJson());
    }

    /// <summary>The claims of a token this server signed; null for any other string.</summary>
    public TokenClaims? Read(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_verified.TryGetValue(token, out var known))
        {
            return known;
        }
        if (key.Verify(token) is not { } payload || TokenClaims.FromJson(payload) is not { } claims)
        {
            return null;
        }
        // Only tokens this server signed are remembered, so garbage cannot grow the map; the bound keeps a long run's
        // rotated tokens from accumulating.
        if (_verified.Count >= RememberedTokens)
        {
            _verified.Clear();
        }
        _verified[token] = claims;
        return claims;
    }
}
