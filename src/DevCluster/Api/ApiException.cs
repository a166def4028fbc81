using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// A request the API refuses, carried to the edge and written as a `Status` object with the real server's
/// code and reason (NotFound, AlreadyExists, Conflict, Invalid, Gone, ...).
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public ApiException()
        : this(500, "InternalError", "internal error")
    {
    }

    public ApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
    }

    public int Code { get; }
    public string Reason { get; }
    public JsonObject? Details { get; }

    /// <summary>A `continue` token for the Status's list metadata: the 410 for an expired list token offers one to go on with.</summary>
    public string? Continue { get; init; }
}
