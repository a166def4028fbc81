namespace RecOperator.InferencePod.Batching;

/// <summary>What the batcher reports to metrics: one call per engine run.</summary>
public interface IBatchObserver
{
    /// <param name="rows">Rows the engine call held.</param>
    /// <param name="queuedSeconds">
    /// For each request of the batch, how long it waited between being queued and its batch starting to run: the gathering
    /// window, and the engine calls ahead of it.
    /// </param>
    /// <param name="runSeconds">How long the batch took to run: its inputs joined, the engine call, its outputs split.</param>
    void BatchRan(long rows, ReadOnlySpan<double> queuedSeconds, double runSeconds);
}
