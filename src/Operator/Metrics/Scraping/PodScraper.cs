using Microsoft.Extensions.Logging;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Metrics.Scraping;

/// <summary>
/// The scrape loop of the direct metrics source: every interval it asks <c>discover</c> for the ready pods of every
/// model, GETs each pod's /metrics (concurrently, each with a timeout) and records the relevant series in the
/// <see cref="ScrapeStore"/>. A failed scrape leaves a gap, as in Prometheus; it never stops the loop.
/// </summary>
public sealed partial class PodScraper(
    HttpClient http,
    ScrapeStore store,
    Func<IReadOnlyDictionary<ObjectKey, IReadOnlyList<ScrapeTarget>>> discover,
    ScrapingOptions options,
    TimeProvider time,
    ILogger<PodScraper> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            do
            {
                await ScrapeOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One round: refresh the targets, then scrape each of them once.</summary>
    public async Task ScrapeOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<ObjectKey, IReadOnlyList<ScrapeTarget>> targets;
        try
        {
            targets = discover();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogDiscoveryFailed(logger, error);
            return;
        }

        store.SetTargets(targets);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(targets.Values.SelectMany(t => t), parallel, async (target, ct) =>
        {
            if (await ScrapeAsync(target, ct).ConfigureAwait(false) is { } scrape)
            {
                store.Record(target, scrape);
            }
        }).ConfigureAwait(false);
    }

    private async Task<PodScrape?> ScrapeAsync(ScrapeTarget target, CancellationToken cancellationToken)
    {
        // Prometheus stamps a scrape with its start time; rate() depends on the stamps, so do the same.
        var startedAt = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await http.GetAsync(target.MetricsUri, timeout.Token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return PodScrape.From(startedAt, PrometheusTextParser.Parse(text));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogScrapeFailed(logger, target.Pod.ToString(), target.MetricsUri, $"no answer within {options.Timeout.TotalSeconds:0.###} s");
        }
        catch (Exception error) when (error is HttpRequestException or FormatException)
        {
            LogScrapeFailed(logger, target.Pod.ToString(), target.MetricsUri, error.Message);
        }

        return null;
    }
}
