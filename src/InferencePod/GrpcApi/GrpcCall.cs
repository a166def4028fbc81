using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>One unary gRPC exchange over an HTTP/2 request: headers, one framed message, grpc-status trailers.</summary>
internal static class GrpcCall
{
    public static async Task HandleAsync<TRequest>(HttpContext context, MessageParser<TRequest> parser,
        Func<TRequest, TimeSpan?, HttpContext, Task<IMessage>> handler, int maxMessageBytes)
        where TRequest : IMessage<TRequest>
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
            var request = await GrpcFraming.ReadMessageAsync(context.Request.BodyReader, parser, maxMessageBytes, context.RequestAborted).ConfigureAwait(false);
            var response = await handler(request, deadline, context).ConfigureAwait(false);
            await GrpcFraming.WriteMessageAsync(context.Response.BodyWriter, response, context.RequestAborted).ConfigureAwait(false);
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

    public static Task UnimplementedAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/grpc";
        Trailers(context, GrpcStatus.Unimplemented, $"method {context.Request.Path} is not implemented");
        return Task.CompletedTask;
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
