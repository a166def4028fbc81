using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.Bench.Load;

/// <summary>Pre-encoded requests and senders for REST (JSON) and gRPC (raw_input_contents over h2c).</summary>
public sealed class PodClients : IDisposable
{
    private readonly HttpClient _rest;
    private readonly HttpClient _grpc;
    private readonly int _grpcPort;

    public PodClients(int httpPort, int grpcPort)
    {
        _rest = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        _grpc = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
        _grpcPort = grpcPort;
    }

    public Func<Task<bool>> Rest(string model, IReadOnlyList<NamedTensor> inputs)
    {
        var body = InferRequestJson.Utf8(inputs);
        return async () =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _rest.PostAsync($"/v2/models/{model}/infer", content).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        };
    }

    public Func<Task<bool>> Grpc(string model, IReadOnlyList<NamedTensor> inputs)
    {
        var request = new ModelInferRequest { ModelName = model };
        foreach (var (name, tensor) in inputs)
        {
            var input = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = tensor.ElementType == TensorElementType.Float ? "FP32" : "INT64" };
            input.Shape.AddRange(tensor.Shape.ToArray());
            request.Inputs.Add(input);
            request.RawInputContents.Add(ByteString.CopyFrom(tensor is TensorBuffer<float> f
                ? MemoryMarshal.AsBytes(f.Span) : MemoryMarshal.AsBytes(((TensorBuffer<long>)tensor).Span)));
        }
        var message = request.ToByteArray();
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        var uri = new Uri($"http://127.0.0.1:{_grpcPort}/inference.GRPCInferenceService/ModelInfer");
        return async () =>
        {
            using var call = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = new ByteArrayContent(frame),
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            call.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            using var response = await _grpc.SendAsync(call).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return response.TrailingHeaders.TryGetValues("grpc-status", out var status) && status.First() == "0";
        };
    }

    public void Dispose()
    {
        _rest.Dispose();
        _grpc.Dispose();
    }
}
