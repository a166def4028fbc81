using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

public sealed class AutoscalerConditionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ScalingDecision Decision(bool guardHeld, bool metricsAvailable = true, double? demandQps = 100, IReadOnlyList<string>? unmeasured = null) => new()
    {
        Replicas = new Dictionary<PlacementKey, int>(),
        Target = new Placement { Replicas = new Dictionary<PlacementKey, int>() },
        Reasons = [],
        MetricsAvailable = metricsAvailable,
        SloGuardHeld = guardHeld,
        Unmeasured = unmeasured ?? [],
        State = ScalingState.Initial with { LastDemandQps = demandQps },
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

    [Fact]
    public void Build_IdleModelMeasuredAtZeroQps_MetricsAvailableAndNoRiskForLackOfTraffic()
    {
        var conditions = AutoscalerConditions.Build(Decision(guardHeld: false, demandQps: 0), new Dictionary<string, double>(), 25, 3, [], Now);

        var metrics = conditions.Single(c => c.Type == AutoscalerConditions.MetricsAvailable);
        var risk = conditions.Single(c => c.Type == AutoscalerConditions.SloAtRisk);
        (metrics.Status, metrics.Reason, metrics.Message).Should().Be(("True", "MetricsMeasured", "QPS was measured over the window (0 QPS); p99 was not (there is none without requests)"));
        (risk.Status, risk.Reason).Should().Be(("False", "NoTraffic"), "no traffic at all is not missing data");
    }

    [Fact]
    public void Build_DemandButNoP99_SloAtRiskUnknownBecauseP99WasNotMeasured()
    {
        var conditions = AutoscalerConditions.Build(Decision(guardHeld: false, demandQps: 40), new Dictionary<string, double>(), 25, 3, [], Now);

        var risk = conditions.Single(c => c.Type == AutoscalerConditions.SloAtRisk);
        (risk.Status, risk.Reason, risk.Message).Should().Be(("Unknown", "P99NotMeasured", "demand was measured (40 QPS) but no variant's p99 was"));
    }

    [Fact]
    public void Build_PrometheusUnreachable_MetricsMissingNamesThePlacementAndTheCause()
    {
        const string line = "cpu@spot: Prometheus at http://prometheus:9090/: query failed: Connection refused (prometheus:9090)";

        var conditions = AutoscalerConditions.Build(Decision(guardHeld: false, metricsAvailable: false, unmeasured: [line]), new Dictionary<string, double>(), 25, 3, [], Now);

        var metrics = conditions.Single(c => c.Type == AutoscalerConditions.MetricsAvailable);
        (metrics.Status, metrics.Reason, metrics.Message).Should().Be(("False", "MetricsMissing",
            $"demand could not be measured ({line}); replicas are held, never scaled down blind"));
        conditions.Single(c => c.Type == AutoscalerConditions.SloAtRisk).Status.Should().Be("Unknown");
    }
}
