using RecOperator.Demo.Load;

namespace RecOperator.Demo.View;

/// <summary>Everything one frame of the live view shows: the load phase, the fleet and what clients measured.</summary>
public sealed record FleetSnapshot
{
    public required TimeSpan Elapsed { get; init; }

    public required string Phase { get; init; }

    public required double TargetRps { get; init; }

    public required double SloMs { get; init; }

    public required IReadOnlyList<PlacementRow> Rows { get; init; }

    /// <summary>What clients saw over the last few seconds.</summary>
    public required WindowFigures Clients { get; init; }

    /// <summary>The operator's latest decisions (Events and status reasons), newest last.</summary>
    public IReadOnlyList<string> Decisions { get; init; } = [];

    public IReadOnlyList<string> Conditions { get; init; } = [];

    public int TotalReplicas => Rows.Sum(r => r.Replicas);

    public int TotalReady => Rows.Sum(r => r.Ready);

    public double CostPerHour => Rows.Sum(r => r.CostPerHour);
}
