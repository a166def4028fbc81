using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// Forwards one request to a destination and streams the answer back: HTTP/1.1 as HTTP/1.1, HTTP/2 as HTTP/2
/// with prior knowledge (RequestVersionExact; cleartext cannot negotiate), trailers included so gRPC's
/// grpc-status reaches the client. Bodies stream both ways, nothing is buffered.
/// </summary>
public sealed class HttpForwarder : IDisposable
{
    private readonly HttpMessageInvoker _invoker;

    public HttpForwarder(TimeSpan connectTimeout)
    {
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = connectTimeout,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ActivityHeadersPropagator = null,
        });
    }

    public async Task ForwardAsync(HttpContext context, Destination destination)
    {
        var aborted = context.RequestAborted;
        using var request = CreateRequest(context, destination);
        HttpResponseMessage response;
        try
        {
            response = await _invoker.SendAsync(request, aborted).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            await ProxyErrors.BadGatewayAsync(context, destination, e.Message).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            // SocketsHttpHandler reports its ConnectTimeout as a cancellation the caller did not ask for.
            await ProxyErrors.BadGatewayAsync(context, destination, "connect timed out").ConfigureAwait(false);
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            CopyHeaders(response.Headers, context.Response.Headers);
            CopyHeaders(response.Content.Headers, context.Response.Headers);
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(aborted).ConfigureAwait(false);
                await body.CopyToAsync(context.Response.Body, aborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
            {
                // The backend or the client went away mid-body: the response is started, so break the stream.
                context.Abort();
                return;
            }

            if (context.Response.SupportsTrailers())
            {
                foreach (var (name, values) in response.TrailingHeaders)
                {
                    context.Response.AppendTrailer(name, new StringValues(values.ToArray()));
                }
            }
        }
    }

    private static HttpRequestMessage CreateRequest(HttpContext context, Destination destination)
    {
        var incoming = context.Request;
        var http2 = HttpProtocol.IsHttp2(incoming.Protocol);
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method),
            UriHelper.BuildAbsolute("http", new HostString(destination.Host, destination.Port), incoming.PathBase, incoming.Path, incoming.QueryString))
        {
            Version = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            request.Content = new StreamContent(incoming.Body);
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHopHeaders.IsHopByHop(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        // "TE: trailers" is the one TE value HTTP/2 allows; gRPC servers use it to see that trailers will be read.
        if (http2 && incoming.Headers.TE.Any(v => v?.Contains("trailers", StringComparison.OrdinalIgnoreCase) == true))
        {
            request.Headers.TryAddWithoutValidation("TE", "trailers");
        }

        request.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        return request;
    }

    private static void CopyHeaders(System.Net.Http.Headers.HttpHeaders from, IHeaderDictionary to)
    {
        foreach (var (name, values) in from)
        {
            if (!HopByHopHeaders.IsHopByHop(name))
            {
                to[name] = new StringValues(values.ToArray());
            }
        }
    }

    public void Dispose() => _invoker.Dispose();
}
