using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Simulation;

/// <summary>
/// Discrete-time (1 s) simulation of one model's fleet under a trace: Poisson arrivals, routing by n x capacity,
/// per-variant latency curves with a backlog when overloaded, pod start delays, pool limits and pool loss.
/// </summary>
public static class FleetSimulator
{
    private const double RecoveryQuietSeconds = 60;

    public static SimulationResult Run(SimFleet fleet, Trace trace, IFleetController controller, int seed)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(controller);
        var random = new Random(seed);
        var world = new SimWorld(fleet);
        var window = new SimWindows(fleet.WindowSeconds, (int)controller.SyncPeriod.TotalSeconds, fleet.Variants.Count);
        var sync = (int)controller.SyncPeriod.TotalSeconds;

        // Warm start: the fleet begins sized for the trace's first level, as a running fleet would be.
        window.Prefill(trace.QpsAt(0));
        double cost = 0, violationSeconds = 0, firstViolation = -1, lastViolation = -1;
        var recovery = 0.0;
        var scaleEvents = 0;
        var reversals = new ScaleReversals();
        for (var t = 0; t <= (int)trace.DurationSeconds; t++)
        {
            foreach (var e in trace.Events.Where(e => (int)e.TimeSeconds == t))
            {
                world.Apply(e);
            }

            if (t % sync == 0)
            {
                var desired = controller.Decide(window.Observe(t, world));
                scaleEvents += world.ScaleTo(desired) ? 1 : 0;
                reversals.Observe(t, desired);
            }

            world.Schedule(t, instant: t == 0);
            var arrivals = Poisson(random, trace.QpsAt(t));
            var step = world.Serve(arrivals);
            window.Record(arrivals, step);
            cost += world.CostPerHour() / 3600;
            if (step.P99Ms > fleet.SloP99Ms)
            {
                violationSeconds++;
                firstViolation = firstViolation < 0 ? t : firstViolation;
                lastViolation = recovery == 0 ? t : lastViolation;
            }
            else if (firstViolation >= 0 && recovery == 0 && t - lastViolation >= RecoveryQuietSeconds)
            {
                recovery = lastViolation - firstViolation + 1;
            }
        }

        if (firstViolation >= 0 && recovery == 0)
        {
            recovery = lastViolation - firstViolation + 1;
        }

        return new SimulationResult(controller.Name, Math.Round(cost, 3), Math.Round(violationSeconds / 60, 2), recovery, scaleEvents, reversals.Count);
    }

    /// <summary>Poisson sample; a normal approximation above 500 keeps large rates cheap.</summary>
    private static double Poisson(Random random, double lambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }

        if (lambda > 500)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Max(0, Math.Round(lambda + (Math.Sqrt(lambda) * normal)));
        }

        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = 1.0;
        while ((p *= random.NextDouble()) > limit)
        {
            k++;
        }

        return k;
    }

    internal static PlacementKey Key(SimVariant variant, string pool) => new(variant.Name, pool);
}
