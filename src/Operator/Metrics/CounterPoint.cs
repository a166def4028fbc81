namespace RecOperator.Operator.Metrics;

/// <summary>A scraped value of a counter (or histogram bucket) at a time, in seconds.</summary>
public readonly record struct CounterPoint(double TimeSeconds, double Value);
