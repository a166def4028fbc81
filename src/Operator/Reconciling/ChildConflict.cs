using RecOperator.Kube.Models;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// An object that has the name of one of a model's children but is not controlled by the model. Children are named
/// from model, variant and pool, so two models can want the same name (model <c>rank</c> variant <c>cpu-a</c> and
/// model <c>rank-cpu</c> variant <c>a</c> both want <c>rank-cpu-a</c>); a user's own object can have it too. Like the
/// built-in controllers, which never adopt what another controller owns, the reconciler leaves such an object alone
/// (no apply, no delete) and reports it (<see cref="Conditions.NameConflict"/>). Pure.
/// </summary>
/// <param name="Kind">The child's kind, e.g. Service.</param>
/// <param name="Name">The name both want.</param>
/// <param name="Controller">The live object's controller reference; null when it has none.</param>
public sealed record ChildConflict(string Kind, string Name, V1OwnerReference? Controller)
{
    /// <summary>The conflict when <paramref name="live"/> exists and the model with this uid is not its controller; null otherwise.</summary>
    public static ChildConflict? Find(string kind, V1ObjectMeta? live, string modelUid)
    {
        if (live is null || OwnedChildren.IsControlledBy(live, modelUid))
        {
            return null;
        }

        return new ChildConflict(kind, live.Name ?? "", live.OwnerReferences?.FirstOrDefault(o => o.Controller == true));
    }

    /// <summary>E.g. "Service rank-cpu-a is controlled by RecModel rank": the line in the condition and the Event.</summary>
    public override string ToString() => Controller is { } owner
        ? $"{Kind} {Name} is controlled by {owner.Kind} {owner.Name} (uid {owner.Uid})"
        : $"{Kind} {Name} exists without a controller";
}
