namespace RecOperator.Operator.Metrics;

/// <summary>One line of the Prometheus text format: a metric name, its labels and a value.</summary>
public sealed record PromSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
