namespace RecOperator.Operator.Autoscaling;

/// <summary>Tuning of the control loop; the defaults are the documented behaviour.</summary>
public sealed record ScalingOptions
{
    /// <summary>How often the loop decides.</summary>
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Demand must stay low this long before capacity is removed.</summary>
    public TimeSpan StabilizationWindow { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Most the total may grow in one sync outside panic, as a factor of the current total.</summary>
    public double ScaleUpFactor { get; init; } = 2.0;

    /// <summary>Replicas that may always be added in one sync, so a small fleet is not stuck doubling from 1.</summary>
    public int ScaleUpMinStep { get; init; } = 4;

    /// <summary>Recent demand at or above this multiple of the last decided demand is a panic: no rate limit.</summary>
    public double PanicRatio { get; init; } = 2.0;

    /// <summary>
    /// Demand above this multiple of the last decided demand is still rising: removals wait a sync, because the recent
    /// window measuring it still holds samples from before the rise. Below it, the sync-to-sync noise of steady load.
    /// </summary>
    public double RisingRatio { get; init; } = 1.1;

    /// <summary>
    /// The span each observed p99 covers. SLO breaches are counted in whole windows of it and a boost is judged after
    /// its replicas served one: p99s taken one sync apart share all but a sync of their samples, so counting syncs
    /// would count one slow stretch many times. The loop sets it to the model's window; the simulator, whose p99
    /// averages the seconds since its last sync, to its sync period.
    /// </summary>
    public TimeSpan MetricsWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Consecutive whole <see cref="MetricsWindow"/>s of p99 above the SLO before the guard adds capacity.</summary>
    public int SloBreachWindows { get; init; } = 2;

    /// <summary>Capacity the SLO guard adds, as a fraction of the current capacity.</summary>
    public double SloGuardBoost { get; init; } = 0.25;

    /// <summary>Share by which a boost must lower p99 to earn the next one; less is noise, not capacity.</summary>
    public double SloGuardMinImprovement { get; init; } = 0.05;

    /// <summary>Most boosts in one breach, so the guard alone never adds more than 1.25^4 (about 2.4x) capacity.</summary>
    public int SloGuardMaxBoosts { get; init; } = 4;

    /// <summary>The previous placement is kept while it covers demand and costs at most this fraction more.</summary>
    public double HysteresisBand { get; init; } = 0.1;

    /// <summary>How long a pool that left pods pending is treated as full before the loop tries it again.</summary>
    public TimeSpan PoolFullBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Share of demand that capacity outside preemptible pools must carry on its own, so losing every spot pool at
    /// once keeps the SLO while replacements start; 0 lets spot carry everything (cheapest, but a loss breaks the SLO).
    /// </summary>
    public double PreemptibleReserve { get; init; } = 1.0;

    /// <summary>
    /// Shortfall of that reserve a running placement may have before it is reshaped to meet it: the noise of steady
    /// load, not a change of demand (<see cref="Hysteresis.Reserve"/>).
    /// </summary>
    public double ReserveTolerance { get; init; } = 0.02;

    /// <summary>
    /// How long after a placement was asked for more replicas its unready ones count as starting: removals wait for them
    /// (make before break), and so does the SLO guard. A pod not ready by then is stuck (a crash loop, an image that
    /// cannot be pulled) and would otherwise hold scale-down and the guard for as long as it is broken. Healthy pods are
    /// ready well within it: the startup probe restarts one whose server has not started in 180 s, and GPUs start in
    /// about a minute; a pod the scheduler cannot place is pending (spill-over), not starting.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Replicas removed per sync once their replacements are ready (moves and scale-down).</summary>
    public int MaxRemovalsPerSync { get; init; } = 2;

    /// <summary>Removals per sync as a share of the total, for large fleets.</summary>
    public double MaxRemovalShare { get; init; } = 0.1;
}
