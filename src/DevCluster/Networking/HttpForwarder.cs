using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// Forwards one request to a destination and streams the answer back: HTTP/1.1 as HTTP/1.1, HTTP/2 as HTTP/2
/// with prior knowledge (RequestVersionExact; cleartext cannot negotiate), trailers included so gRPC's
/// grpc-status reaches the client. Bodies stream both ways, nothing is buffered. A destination that cannot be
/// connected to is reported back unanswered: nothing of the request was sent, so another endpoint may take it.
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

    /// <returns>
    /// Null once the request is answered (by the backend, or with a 502 for a backend failing after it was reached);
    /// otherwise why the connection could not be made, with nothing answered yet.
    /// </returns>
    public async Task<string?> ForwardAsync(HttpContext context, Destination destination)
    {
        var aborted = context.RequestAborted;
        using var request = CreateRequest(context, destination);
        HttpResponseMessage response;
        try
        {
            response = await _invoker.SendAsync(request, aborted).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            // Refused or unreachable: the usual state of a pod that has just died, before its Endpoints catch up.
            return e.Message;
        }
        catch (HttpRequestException e)
        {
            await ProxyErrors.BadGatewayAsync(context, destination, e.Message).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            // SocketsHttpHandler reports its ConnectTimeout as a cancellation the caller did not ask for.
            return "connect timed out";
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
                return null;
            }

            if (context.Response.SupportsTrailers())
            {
                foreach (var (name, values) in response.TrailingHeaders)
                {
                    context.Response.AppendTrailer(name, new StringValues(values.ToArray()));
                }
            }
        }
        return null;
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
