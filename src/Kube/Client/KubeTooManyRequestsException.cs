using System.Net;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Client;

/// <summary>429: the server is throttling; the client already waited <see cref="RetryAfter"/> between its retries.</summary>
public sealed class KubeTooManyRequestsException(HttpStatusCode statusCode, V1Status status, TimeSpan? retryAfter)
    : KubeApiException(statusCode, status)
{
    /// <summary>The server's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
