namespace RecOperator.Operator.Reconciling;

/// <summary>
/// The objects of one kind as the server holds them after a sync, each change made, in words, and the wanted objects
/// left alone because their name is taken by an object the model does not control.
/// </summary>
public sealed record ChildSyncResult<T>(IReadOnlyList<T> Applied, IReadOnlyList<string> Changes, IReadOnlyList<ChildConflict> Conflicts);
