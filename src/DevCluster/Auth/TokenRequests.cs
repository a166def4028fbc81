using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// What kube-apiserver's serviceaccounts/token subresource makes of a TokenRequest once the account (and the bound
/// object, if any) are found: audiences default to the API server's, expirationSeconds to an hour and must lie between
/// ten minutes and 2^32 seconds; a pod-bound token asked for the kubelet's 3607 seconds is issued for a year (warnafter
/// marks the hour), while the status still reports the hour asked for, so the kubelet's 80% refresh point stays as asked.
/// </summary>
public static class TokenRequests
{
    /// <summary>The kubelet's request (an hour and 7 s): the server extends exactly this one when the token is pod-bound.</summary>
    public const long KubeletExpirationSeconds = 3607;

    private const long DefaultExpirationSeconds = 3600;
    private const long MinExpirationSeconds = 600;
    private const long MaxExpirationSeconds = 1L << 32;
    private const long ExtendedExpirationSeconds = 365L * 24 * 60 * 60;

    /// <summary>The kind invalid requests are reported as (`TokenRequest.authentication.k8s.io "" is invalid: ...`).</summary>
    public static ResourceType Kind { get; } = new("authentication.k8s.io", "v1", "TokenRequest", "tokenrequests", Namespaced: true);

    public static (V1TokenRequest Answer, TokenClaims Claims) Plan(
        V1TokenRequest request, V1ServiceAccount account, BoundObject? bound, DateTimeOffset now, string tokenId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(account);
        var spec = request.Spec ?? new V1TokenRequestSpec();
        var audiences = spec.Audiences is { Count: > 0 } asked ? asked : [.. ServiceAccountTokens.ApiAudiences];
        var seconds = spec.ExpirationSeconds ?? DefaultExpirationSeconds;
        if (seconds < MinExpirationSeconds)
        {
            throw ApiErrors.Invalid(Kind, "", [FieldError.Invalid("spec.expirationSeconds", Text(seconds), "may not specify a duration less than 10 minutes")]);
        }
        if (seconds > MaxExpirationSeconds)
        {
            throw ApiErrors.Invalid(Kind, "", [FieldError.Invalid("spec.expirationSeconds", Text(seconds), "may not specify a duration larger than 2^32 seconds")]);
        }
        var extended = bound is { Kind: "Pod" } && seconds == KubeletExpirationSeconds && audiences.All(a => ServiceAccountTokens.ApiAudiences.Contains(a));
        var ns = account.Metadata?.Namespace ?? "";
        var name = account.Metadata?.Name ?? "";
        var claims = new TokenClaims(ServiceAccountTokens.Issuer, [.. audiences], now, now.AddSeconds(extended ? ExtendedExpirationSeconds : seconds),
            ns, name, account.Metadata?.Uid ?? "", bound, extended ? now.AddSeconds(seconds) : null, tokenId);
        var answer = request with
        {
            // Whatever the client left out, the answer names its kind.
            ApiVersion = Kind.ApiVersion,
            Kind = Kind.Kind,
            Metadata = (request.Metadata ?? new V1ObjectMeta()) with { Name = name, Namespace = ns, CreationTimestamp = now },
            Spec = spec with { Audiences = [.. audiences], ExpirationSeconds = seconds },
            Status = new V1TokenRequestStatus { ExpirationTimestamp = now.AddSeconds(seconds) },
        };
        return (answer, claims);
    }

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
