namespace RecOperator.InferencePod.Batching;

/// <summary>What the batcher reports to metrics: one call per engine run.</summary>
public interface IBatchObserver
{
    void BatchRan(int requests, long rows);
}
