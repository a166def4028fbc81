using System.Globalization;

namespace RecOperator.Demo.View;

/// <summary>One log line per frame, plus a line per new decision: readable in CI logs and greppable.</summary>
public sealed class PlainFleetView(TextWriter output) : IFleetView
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public void Show(FleetSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var placements = string.Join(" ", snapshot.Rows.Where(r => r.Replicas > 0 || r.Desired > 0)
            .Select(r => $"{r.Variant}@{r.Pool}={r.Ready}/{r.Replicas}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"t={snapshot.Elapsed.TotalSeconds,5:F0}s {snapshot.Phase,-8} load {snapshot.TargetRps,6:F0}/s | clients {snapshot.Clients.Qps,6:F0}/s p99 {Ms(snapshot.Clients.P99Ms)} (SLO {snapshot.SloMs:F0} ms) errors {snapshot.Clients.Errors} | replicas {snapshot.TotalReady}/{snapshot.TotalReplicas} {placements} | ${snapshot.CostPerHour:F2}/h"));
        foreach (var decision in snapshot.Decisions.Where(_seen.Add))
        {
            output.WriteLine($"      decision: {decision}");
        }
    }

    internal static string Ms(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v,6:F1} ms") : "     - ms";
}
