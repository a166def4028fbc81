using System.Net;
using System.Text.Json;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Client;

/// <summary>Maps an error response to the typed exception for its reason. Pure: no I/O.</summary>
public static class KubeApiErrors
{
    public static KubeApiException FromResponse(HttpStatusCode statusCode, string body, TimeSpan? retryAfter = null)
    {
        var status = ParseStatus(body) ?? new V1Status
        {
            Code = (int)statusCode,
            Message = string.IsNullOrWhiteSpace(body) ? statusCode.ToString() : body.Trim(),
        };
        return FromStatus(statusCode, status, retryAfter);
    }

    public static KubeApiException FromStatus(HttpStatusCode statusCode, V1Status status, TimeSpan? retryAfter = null) =>
        (statusCode, status.Reason) switch
        {
            (HttpStatusCode.NotFound, _) => new KubeNotFoundException(statusCode, status),
            (HttpStatusCode.Conflict, "AlreadyExists") => new KubeAlreadyExistsException(statusCode, status),
            (HttpStatusCode.Conflict, _) => new KubeConflictException(statusCode, status),
            (HttpStatusCode.Gone, _) or (_, "Expired" or "Gone") => new KubeGoneException(HttpStatusCode.Gone, status),
            (HttpStatusCode.UnprocessableEntity, _) => new KubeInvalidException(statusCode, status),
            (HttpStatusCode.Forbidden, _) => new KubeForbiddenException(statusCode, status),
            (HttpStatusCode.Unauthorized, _) => new KubeUnauthorizedException(statusCode, status),
            (HttpStatusCode.TooManyRequests, _) => new KubeTooManyRequestsException(statusCode, status, retryAfter),
            _ => new KubeApiException(statusCode, status),
        };

    /// <summary>The Status object in a watch ERROR event; its <c>code</c> carries the HTTP status.</summary>
    public static KubeApiException FromWatchError(V1Status status) =>
        FromStatus((HttpStatusCode)(status.Code ?? 500), status);

    private static V1Status? ParseStatus(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            var status = JsonSerializer.Deserialize(body, KubeJsonContext.Default.V1Status);
            return status?.Kind == "Status" ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
