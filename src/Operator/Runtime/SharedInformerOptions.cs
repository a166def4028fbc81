using RecOperator.Kube.Watching;

namespace RecOperator.Operator.Runtime;

public sealed record SharedInformerOptions
{
    public ListWatcherOptions Watch { get; init; } = new();

    /// <summary>How often every cached object is re-delivered as a Resync; zero turns resync off.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);
}
