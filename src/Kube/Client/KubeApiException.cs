using System.Net;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Client;

/// <summary>
/// The API server refused a request. Carries the server's Status object; the subclasses name the reasons a
/// controller reacts to (not found, conflict, gone ...), so callers catch a type instead of comparing codes.
/// </summary>
public class KubeApiException : Exception
{
    public KubeApiException(HttpStatusCode statusCode, V1Status status)
        : base(Describe(statusCode, status)) => (StatusCode, Status) = (statusCode, status);

    public KubeApiException()
        : this(HttpStatusCode.InternalServerError, new V1Status())
    {
    }

    public KubeApiException(string message)
        : base(message) => Status = new V1Status { Message = message };

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException) => Status = new V1Status { Message = message };

    public HttpStatusCode StatusCode { get; }

    /// <summary>The Status object the server sent, or one built from the HTTP response when it sent none.</summary>
    public V1Status Status { get; }

    /// <summary>The machine-readable reason, e.g. <c>NotFound</c>, <c>AlreadyExists</c>, <c>Conflict</c>.</summary>
    public string? Reason => Status.Reason;

    private static string Describe(HttpStatusCode statusCode, V1Status status) =>
        $"{(int)statusCode} {status.Reason ?? statusCode.ToString()}: {status.Message ?? "(no message)"}";
}
