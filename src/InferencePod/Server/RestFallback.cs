using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// What the REST port answers outside its routes, in the protocol's error shape (<c>{"error": "..."}</c>) rather than
/// an empty body: a path it does not serve (404), a method a path does not take (405), and a gRPC call sent over
/// HTTP/1.x (426: gRPC needs HTTP/2, which only the gRPC port speaks; without this the call reached the gRPC route
/// and failed on the trailers HTTP/1.1 cannot carry, as a 500 logged as a server error).
/// </summary>
internal static class RestFallback
{
    public static void Use(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol) && request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            await RestEndpoints.WriteErrorAsync(context, 426, $"gRPC needs HTTP/2: {request.Protocol} reached this pod's REST port; call its gRPC port").ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
        var response = context.Response;
        if (!response.HasStarted && response.ContentLength is null && response.ContentType is null && response.StatusCode is 404 or 405)
        {
            await RestEndpoints.WriteErrorAsync(context, response.StatusCode, response.StatusCode == 404
                ? $"no such path: {request.Path}; the Open Inference Protocol's paths are /v2, /v2/health/*, /v2/models/{{name}}[/versions/{{version}}][/ready|/infer] and /metrics"
                : $"{request.Method} is not allowed on {request.Path}").ConfigureAwait(false);
        }
    });
}
