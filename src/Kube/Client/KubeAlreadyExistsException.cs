using System.Net;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Client;

/// <summary>409 AlreadyExists: create found an object of that name.</summary>
public sealed class KubeAlreadyExistsException(HttpStatusCode statusCode, V1Status status) : KubeApiException(statusCode, status);
