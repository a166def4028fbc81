namespace RecOperator.Operator.Reconciling;

/// <summary>The objects of one kind as the server holds them after a sync, and each change made, in words.</summary>
public sealed record ChildSyncResult<T>(IReadOnlyList<T> Applied, IReadOnlyList<string> Changes);
