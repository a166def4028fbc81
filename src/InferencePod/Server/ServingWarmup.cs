using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.InferencePod.Model;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// Requests to the pod's own REST and gRPC ports over loopback, after the ports open and before readiness. The engine
/// warm-up leaves the serving path cold: Kestrel's connection and routing code, the JSON and protobuf converters and
/// the batcher are compiled on their first request, tens of milliseconds on an idle core and many times that on a busy
/// node, which would otherwise land on the first clients a new replica gets while it is scaling a fleet out.
/// </summary>
public static class ServingWarmup
{
    private const string ModelInferPath = "/inference.GRPCInferenceService/ModelInfer";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Sends <paramref name="rounds"/> requests over each protocol; returns how many were answered with success.</summary>
    /// <exception cref="ServingWarmupException">A warm-up request was not answered with success.</exception>
    public static async Task<int> RunAsync(ServedModel model, string bindAddress, int httpPort, int grpcPort, int rounds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (rounds <= 0)
        {
            return 0;
        }
        var host = LoopbackFor(bindAddress);
        var restBody = RestBody(model);
        var grpcBody = GrpcBody(model);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = RequestTimeout };
        var answered = 0;
        for (var round = 0; round < rounds; round++)
        {
            await SendAsync(http, RestRequest(host, httpPort, model.Name, restBody), "REST", cancellationToken).ConfigureAwait(false);
            await SendAsync(http, GrpcRequest(host, grpcPort, grpcBody), "gRPC", cancellationToken).ConfigureAwait(false);
            answered += 2;
        }
        return answered;
    }

    private static async Task SendAsync(HttpClient http, HttpRequestMessage request, string protocol, CancellationToken cancellationToken)
    {
        using (request)
        using (var response = await SendOrExplainAsync(http, request, protocol, cancellationToken).ConfigureAwait(false))
        {
            await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var grpcStatus = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? values.FirstOrDefault() : null;
            if (!response.IsSuccessStatusCode || grpcStatus is not (null or "0"))
            {
                throw new ServingWarmupException($"warm-up {protocol} request to {request.RequestUri} answered {(int)response.StatusCode}"
                    + (grpcStatus is null ? "" : $" with grpc-status {grpcStatus}"));
            }
        }
    }

    private static async Task<HttpResponseMessage> SendOrExplainAsync(HttpClient http, HttpRequestMessage request, string protocol, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is HttpRequestException || (error is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ServingWarmupException($"warm-up {protocol} request to {request.RequestUri} failed: {error.Message}");
        }
    }

    private static HttpRequestMessage RestRequest(string host, int port, string model, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, $"http://{host}:{port}/v2/models/{model}/infer") { Content = content };
    }

    private static HttpRequestMessage GrpcRequest(string host, int port, byte[] framed)
    {
        var content = new ByteArrayContent(framed);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var request = new HttpRequestMessage(HttpMethod.Post, $"http://{host}:{port}{ModelInferPath}")
        {
            Content = content, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        return request;
    }

    /// <summary>
    /// One row of zeros per input (dynamic dimensions as 1): what the engine warm-up ran, now as a client sends it, as JSON
    /// numbers (false for BOOL), so every datatype the pod serves is warmed through the JSON reader.
    /// </summary>
    private static byte[] RestBody(ServedModel model)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", "warm-up");
            writer.WriteStartArray("inputs");
            foreach (var input in model.DeclaredInputs)
            {
                var shape = Shape(input);
                writer.WriteStartObject();
                writer.WriteString("name", input.Name);
                writer.WriteString("datatype", Datatypes.Name(input.ElementType));
                writer.WriteStartArray("shape");
                foreach (var dim in shape)
                {
                    writer.WriteNumberValue(dim);
                }
                writer.WriteEndArray();
                writer.WriteStartArray("data");
                for (var i = shape.Aggregate(1L, (product, d) => product * d); i > 0; i--)
                {
                    if (input.ElementType == TensorElementType.Bool)
                    {
                        writer.WriteBooleanValue(false);
                    }
                    else
                    {
                        writer.WriteNumberValue(0);
                    }
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The same request as a length-prefixed ModelInferRequest with raw_input_contents.</summary>
    private static byte[] GrpcBody(ServedModel model)
    {
        var message = new ModelInferRequest { ModelName = model.Name, Id = "warm-up" };
        foreach (var input in model.DeclaredInputs)
        {
            var shape = Shape(input);
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = Datatypes.Name(input.ElementType) };
            tensor.Shape.Add(shape);
            message.Inputs.Add(tensor);
            var bytes = shape.Aggregate(1L, (product, d) => product * d) * TensorElementTypes.SizeOf(input.ElementType);
            message.RawInputContents.Add(ByteString.CopyFrom(new byte[bytes]));
        }
        var payload = message.ToByteArray();
        var framed = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1, 4), (uint)payload.Length);
        payload.CopyTo(framed, 5);
        return framed;
    }

    private static long[] Shape(TensorMetadata input) => input.Dimensions.Select(d => d < 0 ? 1L : d).ToArray();

    /// <summary>Where the pod's own listeners answer: the bound address, or loopback when it binds every address.</summary>
    private static string LoopbackFor(string bindAddress)
    {
        var address = IPAddress.Parse(bindAddress);
        if (address.Equals(IPAddress.Any))
        {
            return "127.0.0.1";
        }
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "[::1]";
        }
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }
}
