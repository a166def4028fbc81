using System.Security.Cryptography;
using System.Text;
using RecOperator.DevCluster.Storage;

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
}
