using System.Net;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Client;

/// <summary>409 Conflict: the object changed since it was read (stale resourceVersion); re-read and retry.</summary>
public sealed class KubeConflictException(HttpStatusCode statusCode, V1Status status) : KubeApiException(statusCode, status);
