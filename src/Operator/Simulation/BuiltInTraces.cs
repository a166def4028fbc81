namespace RecOperator.Operator.Simulation;

/// <summary>
/// The named traces of <c>recop sim</c>. Their levels are sized to the sample fleet (manifests/samples): 40 spot int8
/// replicas carry about 18k QPS, 8 GPUs about 48k, so each trace exercises spill-over between them.
/// </summary>
public static class BuiltInTraces
{
    public static IReadOnlyList<string> Names { get; } = ["diurnal", "step", "ramp", "spot-loss"];

    public static Trace? Get(string name) => name switch
    {
        "diurnal" => Diurnal(),
        "step" => Step(),
        "ramp" => Ramp(),
        "spot-loss" => SpotLoss(),
        _ => null,
    };

    /// <summary>One day, 3k QPS at night to 22k at midday, sampled every 5 minutes.</summary>
    private static Trace Diurnal()
    {
        var samples = Enumerable.Range(0, (24 * 12) + 1)
            .Select(i => i * 300.0)
            .Select(t => new TraceSample(t, 3000 + (19000 * 0.5 * (1 - Math.Cos(2 * Math.PI * t / 86400)))))
            .ToList();
        return new Trace { Name = "diurnal", Samples = samples };
    }

    /// <summary>3.5k QPS, then a 5x step to 17.5k at 10 minutes, held for 20 minutes.</summary>
    private static Trace Step() => new()
    {
        Name = "step",
        Samples = [new(0, 3500), new(600, 3500), new(601, 17500), new(1800, 17500)],
    };

    /// <summary>A slow ramp from 3k to 30k QPS over two hours, then 30 minutes flat.</summary>
    private static Trace Ramp() => new()
    {
        Name = "ramp",
        Samples = [new(0, 3000), new(7200, 30000), new(9000, 30000)],
    };

    /// <summary>12k QPS for an hour; the spot pool is lost at 20 minutes and returns at 40.</summary>
    private static Trace SpotLoss() => new()
    {
        Name = "spot-loss",
        Samples = [new(0, 12000), new(3600, 12000)],
        Events = [new(1200, TraceEventKind.PoolDown, "cpu-spot"), new(2400, TraceEventKind.PoolUp, "cpu-spot")],
    };
}
