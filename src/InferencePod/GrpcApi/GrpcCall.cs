using System.IO.Pipelines;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using RecOperator.InferencePod.Protocol;
using RecOperator.InferencePod.Server;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>
/// One unary gRPC exchange over an HTTP/2 request: headers, one framed message (maybe compressed, per grpc-encoding),
/// grpc-status trailers.
/// </summary>
internal static class GrpcCall
{
    /// <summary>A call whose request the generated parser reads.</summary>
    public static Task HandleAsync<TRequest>(HttpContext context, MessageParser<TRequest> parser,
        Func<TRequest, TimeSpan?, HttpContext, Task<IMessage>> handler, int maxMessageBytes)
        where TRequest : IMessage<TRequest> =>
        ServeAsync(context, parser, static (reader, parser, encoding, max, ct) => GrpcFraming.ReadMessageAsync(reader, parser, encoding, max, ct), handler,
            maxMessageBytes);

    /// <summary>A call whose handler reads the message bytes itself; it owns the pooled body and disposes it.</summary>
    public static Task HandleBodyAsync(HttpContext context, Func<PooledBuffer, TimeSpan?, HttpContext, Task<IMessage>> handler, int maxMessageBytes) =>
        ServeAsync(context, (object?)null, static (reader, _, encoding, max, ct) => GrpcFraming.ReadBodyAsync(reader, encoding, max, ct), handler,
            maxMessageBytes);

    /// <summary>Whether the request is a gRPC call: HTTP/2 with a gRPC content type.</summary>
    public static bool IsGrpc(HttpRequest request) =>
        HttpProtocol.IsHttp2(request.Protocol) && request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;

    public static Task UnimplementedAsync(HttpContext context)
    {
        Headers(context);
        Trailers(context, GrpcStatus.Unimplemented, $"method {context.Request.Path} is not implemented");
        return Task.CompletedTask;
    }

    private static async Task ServeAsync<TRequest, TState>(HttpContext context, TState state,
        Func<PipeReader, TState, GrpcEncoding, int, CancellationToken, Task<TRequest>> read, Func<TRequest, TimeSpan?, HttpContext, Task<IMessage>> handler,
        int maxMessageBytes)
    {
        if (!context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) ?? true)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        Headers(context);
        // Kestrel's minimum body rate (240 B/s after a 5 s grace) is counted on the whole HTTP/2 connection, and its
        // violation resets the connection: a call whose stream ends late took every call beside it down with no
        // grpc-status. A gRPC call is bounded by its deadline instead, as gRPC servers do; the REST port keeps the rate.
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        if (!GrpcEncodings.TryParse(context.Request.Headers.GrpcEncoding, out var encoding))
        {
            Trailers(context, GrpcStatus.Unimplemented,
                $"grpc-encoding '{context.Request.Headers.GrpcEncoding}' is not supported; this server accepts {GrpcEncodings.Accepted} (grpc-accept-encoding)");
            return;
        }
        try
        {
            if (!GrpcTimeout.TryParse(context.Request.Headers["grpc-timeout"], out var deadline))
            {
                throw InferException.Invalid($"grpc-timeout '{context.Request.Headers["grpc-timeout"]}' is malformed");
            }
            var request = await read(context.Request.BodyReader, state, encoding, maxMessageBytes, context.RequestAborted).ConfigureAwait(false);
            var response = await handler(request, deadline, context).ConfigureAwait(false);
            // After the handler, not before it: by then the stream's end has arrived and a well-formed call never waits
            // for it. A second message that came meanwhile discards the handler's answer (ModelInfer's metrics still count it).
            await GrpcFraming.ReadEndAsync(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false);
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

    /// <summary>
    /// The response headers of every call. grpc-accept-encoding tells clients which encodings their messages may use
    /// (grpc-js, for one, stops compressing when the server's list lacks its choice); answers are never compressed.
    /// </summary>
    private static void Headers(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers.GrpcAcceptEncoding = GrpcEncodings.Accepted;
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
