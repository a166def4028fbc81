namespace RecOperator.Operator.Metrics.Scraping;

/// <summary>How often and how patiently the operator scrapes the pods itself.</summary>
public sealed record ScrapingOptions
{
    /// <summary>Time between scrapes of every pod; several scrapes must fit the shortest window queried.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Per-pod limit; a hung pod must not delay the others' scrapes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Scrapes in flight at once.</summary>
    public int Concurrency { get; init; } = 16;
}
