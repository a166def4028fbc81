using System.Globalization;

namespace RecOperator.Operator.Simulation;

/// <summary>
/// Fits p99 = base + factor·rho/(1-rho), rho = qps/saturation, to a load test's points. For a fixed saturation the
/// model is linear in (base, factor), so each candidate saturation gets a closed-form weighted least-squares fit
/// (both kept non-negative, which keeps the curve non-decreasing whatever the noise), and a log-spaced search over
/// saturation keeps the best. Residuals are relative (weight 1/p99²): a 2 ms miss at 5 ms matters as much as a 20 ms
/// miss at 50 ms, so the flat low-load part shapes the base as much as the knee shapes the factor.
/// </summary>
public static class LatencyCurveFit
{
    /// <summary>Base, factor and saturation: fewer distinct rates than this leave the curve undetermined.</summary>
    public const int MinDistinctRates = 3;

    /// <summary>Without a rate the replica fell behind at, saturation is searched up to this multiple of the highest rate held.</summary>
    private const double UnboundedSearchSpan = 20;

    private const int CoarseSteps = 400;
    private const int FineSteps = 100;

    public static LatencyFit Fit(IReadOnlyList<LatencyPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        for (var i = 0; i < points.Count; i++)
        {
            Check(points[i].OfferedQps, i, "offeredQps");
            Check(points[i].ServedQps, i, "servedQps", allowZero: true);
            Check(points[i].P99Ms, i, "p99Ms", allowZero: !points[i].KeptUp);
        }

        var used = points.Where(p => p.KeptUp).ToList();
        var distinct = used.Select(p => p.OfferedQps).Distinct().Count();
        if (distinct < MinDistinctRates)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"latency fit: needs points at {MinDistinctRates} or more distinct offered rates that the replica kept up with (no failures, served >= {LatencyPoint.KeptUpShare * 100:F0}% of offered); got {distinct} of {points.Count} points"));
        }

        // Saturation lies above every rate served and, if the replica fell behind somewhere higher, at or below that rate.
        var highestHeld = used.Max(p => p.OfferedQps);
        var behind = points.Where(p => !p.KeptUp && p.OfferedQps > highestHeld).Select(p => p.OfferedQps).DefaultIfEmpty(highestHeld * UnboundedSearchSpan).Min();
        var low = highestHeld * 1.001;
        var high = Math.Max(behind, low * 1.01);
        var best = Search(used, low, high, CoarseSteps);
        var step = Math.Pow(high / low, 1.0 / CoarseSteps);
        best = Search(used, Math.Max(low, best.Curve.SaturationQps / step), Math.Min(high, best.Curve.SaturationQps * step), FineSteps, best);
        return new LatencyFit(best.Curve, used.Count, Math.Sqrt(best.WeightedSquares / used.Count));
    }

    private static (LatencyCurve Curve, double WeightedSquares) Search(
        List<LatencyPoint> points, double low, double high, int steps, (LatencyCurve Curve, double WeightedSquares)? incumbent = null)
    {
        var best = incumbent ?? (Curve: new LatencyCurve(high, 0, 0), WeightedSquares: double.PositiveInfinity);
        for (var k = 0; k <= steps; k++)
        {
            var saturation = Math.Min(high, low * Math.Pow(high / low, (double)k / steps));
            var candidate = FitAt(points, saturation);
            best = candidate.WeightedSquares < best.WeightedSquares ? candidate : best;
        }

        return best;
    }

    /// <summary>Weighted least squares of base and factor at one saturation, each clamped at zero.</summary>
    private static (LatencyCurve Curve, double WeightedSquares) FitAt(List<LatencyPoint> points, double saturation)
    {
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var p in points)
        {
            var (x, w) = (Queueing(p.OfferedQps, saturation), 1 / (p.P99Ms * p.P99Ms));
            (sw, sx, sy, sxx, sxy) = (sw + w, sx + (w * x), sy + (w * p.P99Ms), sxx + (w * x * x), sxy + (w * x * p.P99Ms));
        }

        var factor = ((sw * sxx) - (sx * sx)) > 0 ? ((sw * sxy) - (sx * sy)) / ((sw * sxx) - (sx * sx)) : 0;
        var baseMs = (sy - (factor * sx)) / sw;
        if (factor < 0)
        {
            // Latency falling with load is noise (warm-up, a quiet moment): the best non-decreasing curve is flat.
            (factor, baseMs) = (0, sy / sw);
        }
        else if (baseMs < 0)
        {
            (factor, baseMs) = (sxy / sxx, 0);
        }

        var squares = points.Sum(p => Math.Pow((baseMs + (factor * Queueing(p.OfferedQps, saturation)) - p.P99Ms) / p.P99Ms, 2));
        return (new LatencyCurve(saturation, baseMs, factor), squares);
    }

    private static double Queueing(double qps, double saturation)
    {
        var rho = qps / saturation;
        return rho / (1 - rho);
    }

    private static void Check(double value, int index, string field, bool allowZero = false)
    {
        if (!double.IsFinite(value) || value < 0 || (value == 0 && !allowZero))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"latency fit: points[{index}].{field} must be a {(allowZero ? "non-negative" : "positive")} number, got {value}"));
        }
    }
}
