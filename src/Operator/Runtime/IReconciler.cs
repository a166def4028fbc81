namespace RecOperator.Operator.Runtime;

/// <summary>
/// Level-based reconcile: read the current state of <paramref name="key"/> (it may be gone) and drive the world
/// toward it. Never trust what triggered the call; the same key may come again at any time.
/// </summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
