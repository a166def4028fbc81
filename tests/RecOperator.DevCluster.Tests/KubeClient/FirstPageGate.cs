using System.Collections.Concurrent;

namespace RecOperator.DevCluster.Tests.KubeClient;

/// <summary>
/// Sits between a client and its socket: records every request with the status it got, and runs a test's action
/// once, right after the first page of a paged list has been answered and before the client asks for the next. The
/// cluster can then move on while a list is provably half read.
/// </summary>
internal sealed class FirstPageGate(Func<CancellationToken, Task> betweenPages) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _fired;

    public ConcurrentQueue<(string PathAndQuery, int Status)> Responses { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var pathAndQuery = request.RequestUri!.PathAndQuery;
        Responses.Enqueue((pathAndQuery, (int)response.StatusCode));
        if (IsFirstPage(pathAndQuery) && response.IsSuccessStatusCode && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            await betweenPages(cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private static bool IsFirstPage(string pathAndQuery) =>
        pathAndQuery.Contains("limit=", StringComparison.Ordinal)
        && !pathAndQuery.Contains("continue=", StringComparison.Ordinal)
        && !pathAndQuery.Contains("watch=true", StringComparison.Ordinal);
}
