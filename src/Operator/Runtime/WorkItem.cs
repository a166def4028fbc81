namespace RecOperator.Operator.Runtime;

/// <summary>A key handed to a worker by <see cref="WorkQueue{TKey}.TakeAsync"/>.</summary>
public readonly record struct WorkItem<TKey>(TKey Key);
