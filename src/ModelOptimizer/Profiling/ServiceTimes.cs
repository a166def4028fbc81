namespace RecOperator.ModelOptimizer.Profiling;

/// <summary>
/// Measured run times of one replica: samples (ms) of single-request runs, and the mean run time of a batch of b
/// requests for b = 1..MaxBatch. A batch's time is drawn as a single-request sample scaled by mean(b) / mean(1), so
/// the jitter measured at b = 1 carries over to larger batches.
/// </summary>
public sealed record ServiceTimes(IReadOnlyList<double> SingleRequestMs, IReadOnlyList<double> MeanBatchMs)
{
    public int MaxBatch => MeanBatchMs.Count;

    public double Sample(int batch, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var single = SingleRequestMs[random.Next(SingleRequestMs.Count)];
        return single * MeanBatchMs[batch - 1] / MeanBatchMs[0];
    }
}
