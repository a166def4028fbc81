using Microsoft.Extensions.Logging;

namespace RecOperator.Operator.Metrics.Scraping;

public sealed partial class PodScraper
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "scrape of pod {Pod} at {Uri} failed: {Reason}")]
    private static partial void LogScrapeFailed(ILogger logger, string pod, Uri uri, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "finding scrape targets failed; keeping the previous ones")]
    private static partial void LogDiscoveryFailed(ILogger logger, Exception error);
}
