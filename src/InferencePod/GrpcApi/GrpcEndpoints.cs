using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RecOperator.InferencePod.Grpc.Health;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.InferencePod.Protocol;
using RecOperator.InferencePod.Server;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>
/// GRPCInferenceService and grpc.health.v1.Health served on plain ASP.NET Core endpoints (no gRPC runtime package
/// restores here): each unary call reads one framed message, answers one, and always ends with grpc-status trailers.
/// </summary>
internal static class GrpcEndpoints
{
    private const string Service = "inference.GRPCInferenceService";
    private const string HealthService = "grpc.health.v1.Health";

    public static void Map(IEndpointRouteBuilder routes, InferenceService service)
    {
        Unary(routes, $"/{Service}/ServerLive", ServerLiveRequest.Parser, (_, _, _) => Task.FromResult<IMessage>(new ServerLiveResponse { Live = true }), service);
        Unary(routes, $"/{Service}/ServerReady", ServerReadyRequest.Parser,
            (_, _, _) => Task.FromResult<IMessage>(new ServerReadyResponse { Ready = service.State.Ready }), service);
        Unary(routes, $"/{Service}/ModelReady", ModelReadyRequest.Parser, (request, _, _) =>
            Task.FromResult<IMessage>(new ModelReadyResponse { Ready = RequireModel(service, request.Name, request.Version) && service.State.Ready }), service);
        Unary(routes, $"/{Service}/ServerMetadata", ServerMetadataRequest.Parser, (_, _, _) =>
        {
            var response = new ServerMetadataResponse { Name = ServerMetadata.Name, Version = ServerMetadata.Version };
            response.Extensions.AddRange(ServerMetadata.Extensions);
            return Task.FromResult<IMessage>(response);
        }, service);
        Unary(routes, $"/{Service}/ModelMetadata", ModelMetadataRequest.Parser, (request, _, _) =>
        {
            RequireModel(service, request.Name, request.Version);
            return Task.FromResult<IMessage>(GrpcModelMetadata.Of(service.Model));
        }, service);
        var reader = new ModelInferReader(ServedNames.Of(service.Model));
        Func<PooledBuffer, TimeSpan?, HttpContext, Task<IMessage>> infer = (body, deadline, context) => InferAsync(service, reader, body, deadline, context);
        routes.MapPost($"/{Service}/ModelInfer", context => GrpcCall.HandleBodyAsync(context, infer, service.Options.MaxMessageBytes));
        Unary(routes, $"/{HealthService}/Check", HealthCheckRequest.Parser, (request, _, _) =>
        {
            if (request.Service.Length > 0 && request.Service != Service)
            {
                throw new InferException(InferStatus.NotFound, $"health of service '{request.Service}' is unknown; ask for '' or '{Service}'");
            }
            var status = service.State.Ready ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing;
            return Task.FromResult<IMessage>(new HealthCheckResponse { Status = status });
        }, service);
        routes.MapPost($"/{Service}/{{method}}", context => GrpcCall.UnimplementedAsync(context));
        routes.MapPost($"/{HealthService}/{{method}}", context => GrpcCall.UnimplementedAsync(context));
    }

    /// <summary>
    /// Answers a gRPC call to a service or method that no endpoint serves with UNIMPLEMENTED, as gRPC servers do: the
    /// routes above cover only this pod's two services, and anything else (another service, an empty or nested method
    /// name) would get an HTTP 404 without grpc-status. Runs after routing, so only calls that matched nothing get here.
    /// </summary>
    public static void AnswerUnknownMethods(IApplicationBuilder app) =>
        app.Use((context, next) => context.GetEndpoint() is null && GrpcCall.IsGrpc(context.Request) ? GrpcCall.UnimplementedAsync(context) : next(context));

    /// <summary>
    /// ModelInfer: the common raw_input_contents message is read in place (its inputs are slices of the pooled body,
    /// which the inference service returns once the batcher has copied them); any other goes through the generated parser.
    /// </summary>
    private static async Task<IMessage> InferAsync(InferenceService service, ModelInferReader reader, PooledBuffer body, TimeSpan? deadline, HttpContext context)
    {
        ModelInferMessage? message;
        ModelInferRequest? generated = null;
        try
        {
            message = reader.TryRead(body.Memory);
            generated = message is null ? GrpcFraming.Parse(ModelInferRequest.Parser, body.Memory.Span) : null;
        }
        catch
        {
            body.Dispose();
            throw;
        }
        // As for every other method, a message that does not parse is answered before the request is measured.
        var measurement = service.Measure();
        var status = 500;
        var candidates = 0;
        var bodyHandedOver = false;
        try
        {
            var (modelName, modelVersion) = message is null ? (generated!.ModelName, generated.ModelVersion) : (message.ModelName, message.ModelVersion);
            RequireModel(service, modelName, modelVersion);
            var request = message is null ? GrpcInferConverter.ToRequest(generated!) : GrpcInferConverter.ToRequest(message);
            bodyHandedOver = true;
            var (response, count) = await service.InferAsync(modelName, request, deadline, context.RequestAborted, body).ConfigureAwait(false);
            (status, candidates) = (200, count);
            return GrpcInferConverter.ToResponse(response, raw: message is not null || generated!.RawInputContents.Count > 0);
        }
        catch (InferException error)
        {
            status = InferStatusCodes.Http(error.Status);
            throw;
        }
        finally
        {
            if (!bodyHandedOver)
            {
                body.Dispose();
            }
            measurement.Finish(status, candidates);
        }
    }

    private static bool RequireModel(InferenceService service, string name, string version) =>
        service.Serves(name, version)
            ? true
            : throw new InferException(InferStatus.NotFound, $"model '{name}' (version '{version}') is not served here; this pod serves '{service.Model.Name}'");

    private static void Unary<TRequest>(IEndpointRouteBuilder routes, string path, MessageParser<TRequest> parser,
        Func<TRequest, TimeSpan?, HttpContext, Task<IMessage>> handler, InferenceService service)
        where TRequest : IMessage<TRequest> =>
        routes.MapPost(path, context => GrpcCall.HandleAsync(context, parser, handler, service.Options.MaxMessageBytes));
}
