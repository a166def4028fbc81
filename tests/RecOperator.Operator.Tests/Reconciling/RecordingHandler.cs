using System.Collections.Concurrent;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// Sits between the operator's client and the socket: records every request (method, path and query, body) so tests
/// can derive the RBAC the code needs and check every written object, and can fail requests on demand.
/// </summary>
public sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Called before each request is sent; throwing from it fails that request (a crash mid-reconcile).</summary>
    public Action<HttpRequestMessage>? BeforeSend { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        BeforeSend?.Invoke(request);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        Requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri!.PathAndQuery, body, request.Content?.Headers.ContentType?.MediaType, (int)response.StatusCode));
        return response;
    }
}
