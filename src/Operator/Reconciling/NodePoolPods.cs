using RecOperator.Kube.Models;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// The pods a NodePool's slots are counted against: any not finished, as the scheduler counts them. One rule in two
/// forms: the field selector for the API server, and the same test for a cache that holds finished pods too.
/// </summary>
public static class NodePoolPods
{
    public const string FieldSelector = "status.phase!=Succeeded,status.phase!=Failed";

    public static bool MayHoldNode(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Status?.Phase is not ("Succeeded" or "Failed");
    }
}
