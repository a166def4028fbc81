using System.Collections.Concurrent;
using RecOperator.Crds;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Metrics;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

/// <summary>A metrics source the test scripts: one sample per (variant, pool), the same for every window; unset is missing.</summary>
internal sealed class ScriptedMetrics : IModelMetricsSources, IMetricsSource
{
    private readonly ConcurrentDictionary<PlacementKey, MetricsSample> _samples = new();

    /// <param name="p99Ms">Null for a window without requests, which has no quantile.</param>
    public void Set(string variant, string pool, double qps, double? p99Ms) => _samples[new PlacementKey(variant, pool)] = new MetricsSample(qps, p99Ms, null);

    public void Outage() => _samples.Clear();

    public IMetricsSource For(RecModel model) => this;

    public Task<MetricsSample> QueryAsync(string variant, string pool, TimeSpan window, CancellationToken cancellationToken) =>
        Task.FromResult(_samples.TryGetValue(new PlacementKey(variant, pool), out var sample) ? sample : MetricsSample.Missing);
}
