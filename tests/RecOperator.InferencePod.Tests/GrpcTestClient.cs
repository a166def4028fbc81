using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace RecOperator.InferencePod.Tests;

/// <summary>A minimal unary gRPC client over HttpClient's HTTP/2 cleartext (prior knowledge), for raw protocol tests.</summary>
internal sealed class GrpcTestClient(int port) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler())
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>One length-prefixed message; <paramref name="flag"/> is the compressed-flag byte (1: compressed).</summary>
    public static byte[] Frame(byte[] message, byte flag = 0)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    public async Task<(int Status, string Message, TResponse? Response)> CallAsync<TResponse>(string method, IMessage request, MessageParser<TResponse> parser,
        string? timeout = null)
        where TResponse : class, IMessage<TResponse>
    {
        var (status, message, body) = await CallRawAsync(method, Frame(request.ToByteArray()), timeout);
        return (status, message, status == 0 ? parser.ParseFrom(body.AsSpan(5).ToArray()) : null);
    }

    public async Task<(int Status, string Message, byte[] Body)> CallRawAsync(string method, byte[] content, string? timeout = null)
    {
        var answer = await SendAsync(method, new ByteArrayContent(content), timeout is null ? [] : [("grpc-timeout", timeout)]);
        return (answer.Status, answer.Message, answer.Body);
    }

    /// <summary>A call with any body (sent as the content writes it) and extra request headers such as grpc-encoding.</summary>
    public async Task<Answer> SendAsync(string method, HttpContent content, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/{method}")
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, "gRPC answers every call with HTTP 200 and a grpc-status");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/grpc");
        var status = int.Parse(response.TrailingHeaders.GetValues("grpc-status").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var message = response.TrailingHeaders.TryGetValues("grpc-message", out var values) ? Uri.UnescapeDataString(values.Single()) : "";
        var acceptEncoding = response.Headers.TryGetValues("grpc-accept-encoding", out var accepted) ? string.Join(",", accepted) : null;
        return new Answer(status, message, body, acceptEncoding);
    }

    public void Dispose() => _client.Dispose();

    /// <param name="Body">The framed answer (empty when the status is not OK).</param>
    /// <param name="AcceptEncoding">The grpc-accept-encoding response header, null when absent.</param>
    public sealed record Answer(int Status, string Message, byte[] Body, string? AcceptEncoding);
}
