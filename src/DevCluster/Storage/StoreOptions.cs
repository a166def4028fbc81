namespace RecOperator.DevCluster.Storage;

/// <summary>Tunables of the object store.</summary>
public sealed record StoreOptions
{
    /// <summary>Where the write-ahead log lives; null keeps everything in memory (tests that need no restart).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>How many past events a watch can resume from; older resourceVersions get 410 Gone.</summary>
    public int HistoryWindow { get; init; } = 20_000;

    /// <summary>Events buffered per watcher before a slow watcher is dropped.</summary>
    public int WatcherBuffer { get; init; } = 100_000;

    /// <summary>Compact once the log holds this many more records than live objects.</summary>
    public int CompactionSlack { get; init; } = 20_000;
}
