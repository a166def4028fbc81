namespace RecOperator.Observability;

/// <summary>
/// One labelled series: a value for counters and gauges, or bucket counts, sum and count for histograms.
/// Updated lock-free from any thread; a scrape reads a slightly torn but monotone view, as Prometheus clients do.
/// </summary>
internal sealed class MetricSeries
{
    private readonly long[] _bucketCounts;
    private double _value;
    private double _sum;
    private long _count;

    public MetricSeries(string labels, int bucketCount)
    {
        Labels = labels;
        _bucketCounts = new long[bucketCount];
    }

    public string Labels { get; }

    public double Value => Volatile.Read(ref _value);

    public double Sum => Volatile.Read(ref _sum);

    public long Count => Interlocked.Read(ref _count);

    public long BucketCount(int index) => Interlocked.Read(ref _bucketCounts[index]);

    public void Add(double delta) => AddTo(ref _value, delta);

    public void Set(double value) => Volatile.Write(ref _value, value);

    /// <summary>Counts one observation in the first bucket whose upper bound holds it (the rest is +Inf).</summary>
    public void Observe(double value, IReadOnlyList<double> upperBounds)
    {
        var index = upperBounds.Count;
        for (var i = 0; i < upperBounds.Count; i++)
        {
            if (value <= upperBounds[i])
            {
                index = i;
                break;
            }
        }
        if (index < _bucketCounts.Length)
        {
            Interlocked.Increment(ref _bucketCounts[index]);
        }
        AddTo(ref _sum, value);
        Interlocked.Increment(ref _count);
    }

    private static void AddTo(ref double target, double delta)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + delta, current);
            if (seen.Equals(current))
            {
                return;
            }
            current = seen;
        }
    }
}
