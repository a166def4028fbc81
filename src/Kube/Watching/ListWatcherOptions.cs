namespace RecOperator.Kube.Watching;

/// <summary>What a <see cref="ListWatcher{T}"/> selects and how it backs off.</summary>
public sealed record ListWatcherOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Page size of each (re)list.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>First wait after a failure; doubled per consecutive failure (client-go's reflector uses 800 ms).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Server-side watch length; the server then ends the stream and the watcher resumes.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;
}
