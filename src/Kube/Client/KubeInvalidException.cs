using System.Net;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Client;

/// <summary>422 Invalid: the object failed validation; <see cref="Causes"/> names each bad field.</summary>
public sealed class KubeInvalidException(HttpStatusCode statusCode, V1Status status) : KubeApiException(statusCode, status)
{
    public IReadOnlyList<V1StatusCause> Causes { get; } = [.. status.Details?.Causes ?? []];
}
