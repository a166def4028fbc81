namespace RecOperator.Demo.Summary;

/// <summary>The fleet once per view frame: replicas that exist and replicas that are ready.</summary>
public readonly record struct TimelinePoint(TimeSpan Elapsed, int Replicas, int Ready);
