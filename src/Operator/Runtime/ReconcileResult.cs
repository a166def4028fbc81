namespace RecOperator.Operator.Runtime;

/// <summary>
/// What a reconcile asks of the controller: nothing more (<see cref="Done"/>), a timed re-check
/// (<see cref="RequeueAfter"/>), or to stop retrying an error that no retry can fix (<see cref="Terminal"/>).
/// A thrown exception means "retry with backoff".
/// </summary>
public sealed record ReconcileResult
{
    private ReconcileResult(TimeSpan? requeueAfter, string? terminalReason)
    {
        Requeue = requeueAfter;
        TerminalReason = terminalReason;
    }

    public static ReconcileResult Done { get; } = new(null, null);

    public TimeSpan? Requeue { get; }

    public string? TerminalReason { get; }

    public static ReconcileResult RequeueAfter(TimeSpan delay) =>
        delay > TimeSpan.Zero ? new(delay, null) : throw new ArgumentOutOfRangeException(nameof(delay), delay, "must be positive");

    /// <summary>The object is wrong in a way only its author can fix (e.g. an invalid spec): log, count, stop.</summary>
    public static ReconcileResult Terminal(string reason) => new(null, reason);
}
