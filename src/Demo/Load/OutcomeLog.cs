namespace RecOperator.Demo.Load;

/// <summary>
/// Every request outcome of a run, thread-safe. The demo's rates are hundreds per second for minutes, so keeping all
/// of them is cheap and lets the summary compute any window after the fact.
/// </summary>
public sealed class OutcomeLog
{
    private readonly List<RequestOutcome> _outcomes = [];
    private readonly Lock _gate = new();

    public void Add(RequestOutcome outcome)
    {
        lock (_gate)
        {
            _outcomes.Add(outcome);
        }
    }

    public IReadOnlyList<RequestOutcome> Snapshot()
    {
        lock (_gate)
        {
            return [.. _outcomes];
        }
    }

    /// <summary>Client-side figures over the requests scheduled in [from, to).</summary>
    public WindowFigures Window(TimeSpan from, TimeSpan to) => WindowFigures.Of(Snapshot(), from, to);
}
