using RecOperator.Crds.Models;

namespace RecOperator.Operator.Simulation;

/// <summary>A variant of the simulated fleet: its profile, bounds, pools, start delay and true latency curve.</summary>
public sealed record SimVariant(string Name, Hardware Hardware, double ProfileQps, int Min, int Max, IReadOnlyList<string> Pools, LatencyCurve Curve)
{
    /// <summary>The <see cref="CurveSource"/> of a variant without measured points.</summary>
    public const string GuessedSource = "guessed: profile at 85% utilisation, 40% of its p99 without queueing (no measured points)";

    /// <summary>Where <see cref="Curve"/>'s shape came from, in words: a calibration file's load test, or the guess.</summary>
    public string CurveSource { get; init; } = GuessedSource;

    /// <summary>Pod start to ready: image pull and model load; GPUs also wait for the device plugin and CUDA init.</summary>
    public TimeSpan StartDelay => Hardware == Hardware.Cpu ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(60);

    /// <summary>The p99 the profile was measured at: the curve is calibrated through that point.</summary>
    public double ProfileP99Ms => Curve.P99Ms(ProfileQps / Curve.SaturationQps);
}
