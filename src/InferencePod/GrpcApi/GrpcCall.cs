using System.IO.Pipelines;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using RecOperator.InferencePod.Protocol;
using RecOperator.InferencePod.Server;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>One unary gRPC exchange over an HTTP/2 request: headers, one framed message, grpc-status trailers.</summary>
internal static class GrpcCall
{
    /// <summary>A call whose request the generated parser reads.</summary>
    public static Task HandleAsync<TRequest>(HttpContext context, MessageParser<TRequest> parser,
        Func<TRequest, TimeSpan?, HttpContext, Task<IMessage>> handler, int maxMessageBytes)
        where TRequest : IMessage<TRequest> =>
        ServeAsync(context, parser, static (reader, parser, max, ct) => GrpcFraming.ReadMessageAsync(reader, parser, max, ct), handler, maxMessageBytes);

    /// <summary>A call whose handler reads the message bytes itself; it owns the pooled body and disposes it.</summary>
    public static Task HandleBodyAsync(HttpContext context, Func<PooledBuffer, TimeSpan?, HttpContext, Task<IMessage>> handler, int maxMessageBytes) =>
        ServeAsync(context, (object?)null, static (reader, _, max, ct) => GrpcFraming.ReadBodyAsync(reader, max, ct), handler, maxMessageBytes);

    /// <summary>Whether the request is a gRPC call: HTTP/2 with a gRPC content type.</summary>
    public static bool IsGrpc(HttpRequest request) =>
        HttpProtocol.IsHttp2(request.Protocol) && request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;

    public static Task UnimplementedAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/grpc";
        Trailers(context, GrpcStatus.Unimplemented, $"method {context.Request.Path} is not implemented");
        return Task.CompletedTask;
    }

    private static async Task ServeAsync<TRequest, TState>(HttpContext context, TState state,
        Func<PipeReader, TState, int, CancellationToken, Task<TRequest>> read, Func<TRequest, TimeSpan?, HttpContext, Task<IMessage>> handler, int maxMessageBytes)
    {
        if (!context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) ?? true)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/grpc";
        try
        {
            if (!GrpcTimeout.TryParse(context.Request.Headers["grpc-timeout"], out var deadline))
            {
                throw InferException.Invalid($"grpc-timeout '{context.Request.Headers["grpc-timeout"]}' is malformed");
            }
            var request = await read(context.Request.BodyReader, state, maxMessageBytes, context.RequestAborted).ConfigureAwait(false);
            var response = await handler(request, deadline, context).ConfigureAwait(false);
            GrpcFraming.WriteMessage(context.Response.BodyWriter, response);
            Trailers(context, 0, "");
        }
        catch (InferException error)
        {
            Trailers(context, InferStatusCodes.Grpc(error.Status), error.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or its deadline fired on its side); nobody reads an answer.
        }
    }

    private static void Trailers(HttpContext context, int status, string message)
    {
        context.Response.AppendTrailer("grpc-status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message.Length > 0)
        {
            context.Response.AppendTrailer("grpc-message", GrpcStatus.EncodeMessage(message));
        }
    }
}
