using System.Net;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Client;

/// <summary>410 Gone: the resourceVersion is too old for a watch or list; relist.</summary>
public sealed class KubeGoneException(HttpStatusCode statusCode, V1Status status) : KubeApiException(statusCode, status);
