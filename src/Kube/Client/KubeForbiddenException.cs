using System.Net;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Client;

/// <summary>403: authenticated but not allowed (RBAC).</summary>
public sealed class KubeForbiddenException(HttpStatusCode statusCode, V1Status status) : KubeApiException(statusCode, status);
