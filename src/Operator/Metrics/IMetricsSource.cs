namespace RecOperator.Operator.Metrics;

/// <summary>Where the autoscaler reads QPS, p99 and ready replicas of one (variant, pool) over a window.</summary>
public interface IMetricsSource
{
    Task<MetricsSample> QueryAsync(string variant, string pool, TimeSpan window, CancellationToken cancellationToken);
}
