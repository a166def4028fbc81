using RecOperator.Kube.Models;
using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>lastTransitionTime moves only when a condition's status flips.</summary>
public sealed class ConditionsTests
{
    private static readonly DateTimeOffset Earlier = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Earlier.AddHours(1);

    [Fact]
    public void Set_SameStatusNewMessage_KeepsTransitionTimeAndTakesMessage()
    {
        List<V1Condition> current = [Conditions.Make("Ready", false, "ReplicasNotReady", "0 of 2", 1, Earlier)];

        var updated = Conditions.Set(current, Conditions.Make("Ready", false, "ReplicasNotReady", "1 of 2", 2, Later)).Single();

        updated.LastTransitionTime.Should().Be(Earlier);
        (updated.Message, updated.ObservedGeneration).Should().Be(("1 of 2", 2L));
    }

    [Fact]
    public void Set_StatusFlips_TakesTheNewTransitionTimeAndKeepsOthers()
    {
        List<V1Condition> current = [Conditions.Make("Ready", false, "ReplicasNotReady", "", 1, Earlier), Conditions.Make("Degraded", false, "AsExpected", "", 1, Earlier)];

        var updated = Conditions.Set(current, Conditions.Make("Ready", true, "ReplicasReady", "", 1, Later));

        updated.Single(c => c.Type == "Ready").LastTransitionTime.Should().Be(Later);
        updated.Single(c => c.Type == "Degraded").LastTransitionTime.Should().Be(Earlier);
    }
}
