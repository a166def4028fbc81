using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RecOperator.InferencePod.Protocol;
using RecOperator.Observability;

namespace RecOperator.InferencePod.Server;

/// <summary>The Open Inference Protocol v2 REST API, health, and /metrics.</summary>
internal static class RestEndpoints
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    public static void Map(IEndpointRouteBuilder routes, InferenceService service, IMetricsExporter exporter)
    {
        routes.MapRead("/v2/health/live", context => WriteJsonAsync(context, 200, w => w.WriteBoolean("live", true)));
        routes.MapRead("/v2/health/ready", context =>
            WriteJsonAsync(context, HealthStatus(service.State.Ready), w => w.WriteBoolean("ready", service.State.Ready)));
        routes.MapRead("/v2", context => WriteJsonAsync(context, 200, w => ServerMetadata.Write(w)));
        // Every model path also under /versions/{version}: the protocol's clients build those as soon as a version is set.
        foreach (var model in new[] { "/v2/models/{name}", "/v2/models/{name}/versions/{version}" })
        {
            routes.MapRead(model, context => ModelRoute(context, service, w => ServerMetadata.WriteModel(w, service.Model)));
            routes.MapRead($"{model}/ready", context => ModelRoute(context, service, w => w.WriteBoolean("ready", service.State.Ready),
                HealthStatus(service.State.Ready)));
            routes.MapPost($"{model}/infer", context => InferAsync(context, service));
        }
        routes.MapRead("/metrics", async context =>
        {
            context.Response.ContentType = exporter.ContentType;
            await exporter.WriteAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// A read answers HEAD as GET (RFC 9110 section 9.1: a server that serves GET serves HEAD); probes and load balancers
    /// use it. Kestrel sends the headers and drops the body.
    /// </summary>
    private static void MapRead(this IEndpointRouteBuilder routes, string pattern, RequestDelegate handler) =>
        routes.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], handler);

    /// <summary>
    /// A health answer's status: the protocol reads 200 as true and "a 4xx status code" as false, and Triton answers 400;
    /// a Kubernetes HTTP probe fails on either.
    /// </summary>
    private static int HealthStatus(bool healthy) => healthy ? 200 : 400;

    private static Task ModelRoute(HttpContext context, InferenceService service, Action<Utf8JsonWriter> body, int status = 200)
    {
        var problem = ModelProblem(context, service);
        return problem is null ? WriteJsonAsync(context, status, body) : WriteErrorAsync(context, 404, problem);
    }

    /// <summary>Why the model (and version) the path names is not this pod's, or null when it is.</summary>
    private static string? ModelProblem(HttpContext context, InferenceService service)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var version = context.Request.RouteValues["version"] as string;
        return !service.Serves(name) ? $"model '{name}' is not served here; this pod serves '{service.Model.Name}'"
            : !service.Serves(name, version) ? $"model '{name}' has no version '{version}'; this pod serves version '{InferenceService.ModelVersion}'"
            : null;
    }

    private static async Task InferAsync(HttpContext context, InferenceService service)
    {
        var measurement = service.Measure();
        var candidates = 0;
        var status = 500;
        try
        {
            var name = (string)context.Request.RouteValues["name"]!;
            if (ModelProblem(context, service) is { } problem)
            {
                throw new InferException(InferStatus.NotFound, problem);
            }
            var coding = context.Request.Headers.ContentEncoding.ToString();
            if (CompressedBody.IsCompressed(coding) is null)
            {
                context.Response.Headers.AcceptEncoding = CompressedBody.Accepted;
                throw new BadHttpRequestException($"Content-Encoding '{coding}' is not supported: send the body as it is, or in {CompressedBody.Accepted}", 415);
            }
            var body = await RequestBody.ReadAsync(context.Request.BodyReader, service.Options.MaxMessageBytes, context.RequestAborted).ConfigureAwait(false);
            if (CompressedBody.IsCompressed(coding) == true)
            {
                using var compressed = body;
                body = CompressedBody.Inflate(compressed.Memory, coding, service.Options.MaxMessageBytes);
            }
            InferRequest request;
            try
            {
                request = RestInferParser.Parse(body.Memory, HeaderLength(context.Request));
            }
            catch
            {
                body.Dispose();
                throw;
            }
            // Binary inputs are slices of the body: the service returns it to the pool once the batcher copied them.
            var (response, count) = await service.InferAsync(name, request, null, context.RequestAborted, body).ConfigureAwait(false);
            candidates = count;
            status = 200;
            await WriteResponseAsync(context, response, request).ConfigureAwait(false);
        }
        catch (InferException error)
        {
            status = InferStatusCodes.Http(error.Status);
            await WriteErrorAsync(context, status, error.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = 499;
        }
        catch (BadHttpRequestException error)
        {
            status = error.StatusCode;
            // Kestrel refuses a declared Content-Length past its own limit, which sits a little above the pod's.
            var message = status == 413 ? $"the request body is larger than the {service.Options.MaxMessageBytes}-byte limit" : error.Message;
            await WriteErrorAsync(context, status, message).ConfigureAwait(false);
        }
        finally
        {
            measurement.Finish(status, candidates);
        }
    }

    private static int? HeaderLength(HttpRequest request)
    {
        var text = request.Headers[HeaderLengthHeader].ToString();
        if (text.Length == 0)
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length
            : throw InferException.Invalid($"header {HeaderLengthHeader} '{text}' is not a non-negative integer");
    }

    private static async Task WriteResponseAsync(HttpContext context, InferResponse response, InferRequest request)
    {
        var json = new ArrayBufferWriter<byte>(1024);
        var binary = RestInferWriter.WriteJson(json, response, request);
        context.Response.StatusCode = 200;
        // The whole length is known before the first byte goes out: sent as Content-Length, not chunked.
        long length = json.WrittenCount;
        foreach (var tensor in binary)
        {
            length += tensor.Data.Length;
        }
        context.Response.ContentLength = length;
        if (binary.Count == 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(json.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers[HeaderLengthHeader] = json.WrittenCount.ToString(CultureInfo.InvariantCulture);
        await context.Response.Body.WriteAsync(json.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        foreach (var tensor in binary)
        {
            await context.Response.Body.WriteAsync(tensor.Data, context.RequestAborted).ConfigureAwait(false);
        }
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        context.Response.HasStarted ? Task.CompletedTask : WriteJsonAsync(context, status, w => w.WriteString("error", message));

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        var json = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.WrittenCount;
        await context.Response.Body.WriteAsync(json.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
