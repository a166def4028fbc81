using RecOperator.Kube.Models;
using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>Which live objects under a child's name the model may write: only those it is the controller of.</summary>
public sealed class ChildConflictTests
{
    private const string ModelUid = "uid-of-ranking";

    [Theory]
    [InlineData(null, null)]
    [InlineData("RecModel/ranking/uid-of-ranking/true", null)]
    [InlineData("RecModel/ranking-ctr/uid-of-other/true", "Service ranking-ctr-a is controlled by RecModel ranking-ctr (uid uid-of-other)")]
    [InlineData("Deployment/web/uid-of-web/true", "Service ranking-ctr-a is controlled by Deployment web (uid uid-of-web)")]
    [InlineData("RecModel/ranking/uid-of-ranking/false", "Service ranking-ctr-a exists without a controller")]
    [InlineData("", "Service ranking-ctr-a exists without a controller")]
    public void Find_LiveObjectWithOwner_ConflictUnlessTheModelIsItsController(string? owner, string? expected)
    {
        // owner: null = no object; "" = an object without owner references; else kind/name/uid/controller.
        var live = owner is null ? null : new V1ObjectMeta
        {
            Name = "ranking-ctr-a",
            OwnerReferences = owner.Length == 0 ? null : [Reference(owner.Split('/'))],
        };

        (ChildConflict.Find("Service", live, ModelUid)?.ToString()).Should().Be(expected);
    }

    private static V1OwnerReference Reference(string[] parts) => new()
    {
        ApiVersion = "v1", Kind = parts[0], Name = parts[1], Uid = parts[2], Controller = bool.Parse(parts[3]),
    };
}
