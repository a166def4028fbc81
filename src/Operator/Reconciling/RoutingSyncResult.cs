namespace RecOperator.Operator.Reconciling;

/// <summary>What publishing a model's traffic weights changed, in words, and the routing objects left alone because their name is taken.</summary>
public sealed record RoutingSyncResult(IReadOnlyList<string> Changes, IReadOnlyList<ChildConflict> Conflicts);
