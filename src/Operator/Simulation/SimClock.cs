namespace RecOperator.Operator.Simulation;

/// <summary>The simulator's time, handed to policies as their <see cref="TimeProvider"/>.</summary>
internal sealed class SimClock : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public double Seconds { get; set; }

    public override DateTimeOffset GetUtcNow() => Epoch.AddSeconds(Seconds);
}
