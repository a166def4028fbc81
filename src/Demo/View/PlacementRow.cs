namespace RecOperator.Demo.View;

/// <summary>One variant in one pool as the live view shows it, read from the RecModel's status.</summary>
public sealed record PlacementRow(
    string Variant, string Pool, int Replicas, int Ready, int Desired, double? Qps, double? P99Ms, double? Weight, double CostPerHour);
