using System.Net;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Client;

/// <summary>404: the object or its collection does not exist.</summary>
public sealed class KubeNotFoundException(HttpStatusCode statusCode, V1Status status) : KubeApiException(statusCode, status);
