using System.Net;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Client;

/// <summary>401: the credentials were missing or rejected.</summary>
public sealed class KubeUnauthorizedException(HttpStatusCode statusCode, V1Status status) : KubeApiException(statusCode, status);
