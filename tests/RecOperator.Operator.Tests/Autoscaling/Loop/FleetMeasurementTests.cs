using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Metrics;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

/// <summary>Demand from a fleet's samples, and when it is missing, which placements lack data and why.</summary>
public sealed class FleetMeasurementTests
{
    private static readonly PlacementKey Spot = new("cpu", "spot");
    private static readonly PlacementKey OnDemand = new("cpu", "ondemand");

    [Fact]
    public void TotalQps_IdlePlacementsMeasuredAtZero_IsZeroNotMissing()
    {
        var samples = new Dictionary<PlacementKey, MetricsSample> { [Spot] = new(0, null, 2), [OnDemand] = new(0, null, 1) };
        var actual = new Dictionary<PlacementKey, ReplicaCounts> { [Spot] = new(2, 0), [OnDemand] = new(1, 0) };

        FleetMeasurement.TotalQps(samples, actual).Should().Be(0);
        FleetMeasurement.Unmeasured(samples, actual).Should().BeEmpty();
    }

    [Fact]
    public void Unmeasured_ReadyPlacementWithoutData_NamesItWithTheSourcesReason()
    {
        const string reason = "Prometheus at http://prometheus:9090/: query failed: Connection refused";
        var samples = new Dictionary<PlacementKey, MetricsSample>
        {
            [Spot] = new(40, 12, 2),
            [OnDemand] = MetricsSample.Missing with { MissingReason = reason },
            [new("cpu", "gone")] = MetricsSample.Missing with { MissingReason = "no series" },
        };
        var actual = new Dictionary<PlacementKey, ReplicaCounts> { [Spot] = new(2, 0), [OnDemand] = new(1, 0) };

        FleetMeasurement.Unmeasured(samples, actual).Should().Equal($"cpu@ondemand: {reason}");
    }

    [Fact]
    public void Unmeasured_NoPodReadyYet_SaysSoThenNamesThePlacementsThatHavePods()
    {
        var samples = new Dictionary<PlacementKey, MetricsSample>
        {
            [Spot] = MetricsSample.Missing with { MissingReason = "no ready pod to scrape" },
            [OnDemand] = MetricsSample.Missing with { MissingReason = "no ready pod to scrape" },
        };
        var actual = new Dictionary<PlacementKey, ReplicaCounts> { [Spot] = new(0, 0) };

        FleetMeasurement.Unmeasured(samples, actual).Should().Equal("no pod of the model is ready yet", "cpu@spot: no ready pod to scrape");
    }
}
