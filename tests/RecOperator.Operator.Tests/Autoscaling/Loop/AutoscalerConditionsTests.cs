using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

public sealed class AutoscalerConditionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ScalingDecision Decision(bool guardHeld) => new()
    {
        Replicas = new Dictionary<PlacementKey, int>(),
        Target = new Placement { Replicas = new Dictionary<PlacementKey, int>() },
        Reasons = [],
        MetricsAvailable = true,
        SloGuardHeld = guardHeld,
        State = ScalingState.Initial,
    };

    [Theory]
    [InlineData(false, "p99 above the 25 ms SLO on cpu (40 ms)")]
    [InlineData(true, "p99 above the 25 ms SLO on cpu (40 ms); added replicas did not lower it, so the SLO guard adds no more")]
    public void Build_P99AboveSlo_SloAtRiskSaysWhetherTheGuardGaveUp(bool guardHeld, string message)
    {
        var conditions = AutoscalerConditions.Build(Decision(guardHeld), new Dictionary<string, double> { ["cpu"] = 40 }, 25, 3, [], Now);

        var risk = conditions.Single(c => c.Type == AutoscalerConditions.SloAtRisk);
        (risk.Status, risk.Reason, risk.Message).Should().Be(("True", "P99AboveSlo", message));
    }
}
