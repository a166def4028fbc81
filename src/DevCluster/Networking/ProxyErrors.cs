using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// Errors the router answers itself. gRPC clients read the status from the grpc-status header of a
/// "trailers-only" response (HTTP 200, no body), so a gRPC request gets UNAVAILABLE (14) rather than a bare 503.
/// </summary>
public static class ProxyErrors
{
    public const int GrpcUnavailable = 14;

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>No ready endpoint: 503 with a text body, or gRPC UNAVAILABLE.</summary>
    public static Task NoEndpointsAsync(HttpContext context, ServicePortKey key) =>
        WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"no ready endpoints for Service {key}");

    /// <summary>The backend could not be reached or failed before answering: 502, or gRPC UNAVAILABLE.</summary>
    public static Task BadGatewayAsync(HttpContext context, Destination destination, string reason) =>
        WriteAsync(context, StatusCodes.Status502BadGateway, $"backend {destination} failed: {reason}");

    private static async Task WriteAsync(HttpContext context, int httpStatus, string message)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            // Headers are out: the only honest signal left is a broken stream.
            context.Abort();
            return;
        }

        response.Clear();
        if (IsGrpc(context.Request))
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = GrpcUnavailable.ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return;
        }

        response.StatusCode = httpStatus;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(message + "\n", context.RequestAborted).ConfigureAwait(false);
    }
}
