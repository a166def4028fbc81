using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests;

/// <summary>A reconciler whose behaviour each test writes inline.</summary>
internal sealed class DelegateReconciler(Func<ObjectKey, CancellationToken, Task<ReconcileResult>> reconcile) : IReconciler
{
    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => reconcile(key, cancellationToken);
}
