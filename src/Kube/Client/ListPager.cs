namespace RecOperator.Kube.Client;

/// <summary>
/// Reads a whole collection page by page with limit/continue, as client-go's ListPager with FullListIfExpired does.
/// Every page of a paged list is served at the first page's resourceVersion; when the server has compacted that
/// version away before the list is done, it refuses the next continue token with 410 Expired. The pages read so far
/// are then dropped and the collection is listed again in one unpaged request, so the caller gets one consistent
/// list (each object once, all as of one resourceVersion) rather than an error or a mix of two moments.
/// </summary>
internal static class ListPager
{
    public static async Task<KubeList<T>> ListAsync<T>(
        Func<ListOptions, CancellationToken, Task<KubeList<T>>> fetchPage, ListOptions requested, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var page = requested;
        var listedInFull = false;
        while (true)
        {
            KubeList<T> list;
            try
            {
                list = await fetchPage(page, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeGoneException gone) when (!listedInFull && ShouldListInFull(requested, page, gone))
            {
                items.Clear();
                page = InFull(requested);
                listedInFull = true;
                continue;
            }

            items.AddRange(list.Items);
            if (string.IsNullOrEmpty(list.Continue))
            {
                return new KubeList<T>(items, list.ResourceVersion, null);
            }

            page = page with { Continue = list.Continue };
        }
    }

    /// <summary>
    /// Whether a refused page is one to recover from by listing in full: only an <c>Expired</c> answer (client-go's
    /// IsResourceExpired), and only for a continue token this list got from the server itself. A 410 for the first
    /// page (a resourceVersion the server cannot serve) is the caller's to handle, and so is one for a token the caller
    /// passed in: listing from the start would hand back objects before that token, which the caller did not ask for.
    /// </summary>
    public static bool ShouldListInFull(ListOptions requested, ListOptions refused, KubeApiException error)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(refused);
        ArgumentNullException.ThrowIfNull(error);
        return error is KubeGoneException { Reason: "Expired" }
            && string.IsNullOrEmpty(requested.Continue)
            && !string.IsNullOrEmpty(refused.Continue);
    }

    /// <summary>The caller's list without paging, at the resourceVersion the caller asked for (client-go's fallback).</summary>
    public static ListOptions InFull(ListOptions requested) => requested with { Limit = null, Continue = null };
}
