using System.Security.Cryptography.X509Certificates;

namespace RecOperator.Kube.Config.Exec;

/// <summary>
/// What an exec plugin answered (ExecCredential <c>status</c>): a bearer token, a client certificate with its key, or
/// both; <see cref="ExpiresAt"/> null means valid until the API server refuses it.
/// </summary>
public sealed record ExecCredential(string? Token, X509Certificate2? ClientCertificate, DateTimeOffset? ExpiresAt)
{
    /// <summary>
    /// Whether the credential may still be used at <paramref name="now"/>. It is renewed <paramref name="margin"/>
    /// before it expires, so a request does not leave with a token that lapses on its way to the server.
    /// </summary>
    public bool IsFreshAt(DateTimeOffset now, TimeSpan margin) => ExpiresAt is not { } expires || now < expires - margin;
}
