using System.Security.Cryptography;
using System.Text;
using RecOperator.DevCluster.Storage;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// Bearer-token authentication: the cluster admin's token (DATA_DIR/token) is <see cref="UserInfo.Admin"/>; a
/// service-account token this server issued is its account's user while <see cref="ServiceAccountTokenValidator"/>
/// accepts it; anything else is no one (401). A server without an admin token (plain HTTP, tests) takes every request
/// as the admin's.
/// </summary>
public sealed class Authenticator(byte[]? adminToken, ServiceAccountTokens tokens, ObjectStore store, TimeProvider time)
{
    public UserInfo? Authenticate(string? authorization)
    {
        if (adminToken is null)
        {
            return UserInfo.Admin;
        }
        // As kube-apiserver's bearer token authenticator: the scheme is matched without regard to case.
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = authorization[scheme.Length..].Trim();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), adminToken))
        {
            return UserInfo.Admin;
        }
        return token.Length > 0 && tokens.Read(token) is { } claims
            ? ServiceAccountTokenValidator.Validate(claims, store.Snapshot, time.GetUtcNow())
            : null;
    }

    /// <summary>
    /// A TokenReview's question, as kube-apiserver's request authenticator answers it for the <paramref name="audiences"/>
    /// asked: the admin's token (audience-agnostic, so it must be asked about the API server's own audience) or a
    /// service-account token whose audiences meet them. Unlike <see cref="Authenticate"/>, a server without an admin
    /// token does not take every token as the admin's.
    /// </summary>
    public TokenReviewOutcome Review(string token, IReadOnlyList<string> audiences)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(audiences);
        const string invalid = "invalid bearer token";
        if (adminToken is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), adminToken))
        {
            var agreed = audiences.Intersect(ServiceAccountTokens.ApiAudiences, StringComparer.Ordinal).ToList();
            return agreed.Count == 0 ? TokenReviewOutcome.Failed(invalid) : new TokenReviewOutcome(UserInfo.Admin, agreed, null, null);
        }
        if (token.Length == 0 || tokens.Read(token) is not { } claims)
        {
            return TokenReviewOutcome.Failed(invalid);
        }
        var matching = claims.Audiences.Intersect(audiences, StringComparer.Ordinal).ToList();
        if (matching.Count == 0)
        {
            return TokenReviewOutcome.Failed($"token audiences {GoText.QuotedList(claims.Audiences)} is invalid for the target audiences {GoText.QuotedList(audiences)}");
        }
        var now = time.GetUtcNow();
        if (now >= claims.Expires)
        {
            return TokenReviewOutcome.Failed("service account token has expired");
        }
        return ServiceAccountTokenValidator.Validate(claims, store.Snapshot, now, audiences) is { } user
            ? new TokenReviewOutcome(user, matching, claims, null)
            : TokenReviewOutcome.Failed("service account token has been invalidated");
    }
}
