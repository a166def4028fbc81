using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Metrics;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

public sealed class CapacityTrackerTests
{
    private static VariantSpec Variant(double? profile, double? profileP99Ms = null) => new()
    {
        Name = "cpu", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = ["cpu"],
        Capacity = profile is { } qps ? new CapacityProfileSpec { QpsPerReplica = qps, P99LatencyMs = profileP99Ms } : null,
    };

    [Theory]
    [InlineData(450.0, null, 450.0, CapacitySource.Profile)]
    [InlineData(450.0, 25.0, 450.0, CapacitySource.Profile)]
    [InlineData(450.0, 18.0, 495.0, CapacitySource.Profile)]
    [InlineData(null, null, CapacityTracker.UnprofiledQpsPerReplica, CapacitySource.Default)]
    public void Initial_ProfileOrNone_StartsFromTheProfileOrTheLowDefault(double? profile, double? profileP99Ms, double expectedQps, CapacitySource expectedSource)
    {
        var initial = CapacityTracker.Initial(Variant(profile, profileP99Ms), sloP99Ms: 25);

        initial.Source.Should().Be(expectedSource);
        initial.QpsPerReplica.Should().BeApproximately(expectedQps, 1e-9);
    }

    [Fact]
    public void Update_StepWhileTheReadyCountChanges_NeitherCutsOnTheMixedWindowNorWaitsForeverToLearn()
    {
        // 900 QPS on 3 replicas, then 1,800 from t=0: the 3 are slow until 2 more are ready at t=15. The window's QPS
        // climbs for 60 s and its p99 holds the slow seconds until t=75.
        var model = Model(Variant(450, 18));
        var tracker = new Tracker(model);
        tracker.Sync(0, windowQps: 900, p99Ms: 10, ready: 3, deployed: 3);
        var lowest = double.MaxValue;
        for (var t = 5; t <= 70; t += 5)
        {
            var ready = t < 15 ? 3 : 5;
            lowest = Math.Min(lowest, tracker.Sync(t, windowQps: 900 + (900 * t / 60.0), p99Ms: 80, ready, deployed: 5, starting: ready < 5).QpsPerReplica);
        }

        var settled = tracker.Sync(80, windowQps: 1800, p99Ms: 40, ready: 5, deployed: 5);

        lowest.Should().BeApproximately(495, 1e-9, "QPS over a window that began with 3 replicas, divided by the 5 ready at its end, is no replica's load");
        settled.QpsPerReplica.Should().BeApproximately(360 * 25.0 / 40, 1e-9, "a window later the 5 replicas' own breach counts");
    }

    private static RecModel Model(VariantSpec variant) => new()
    {
        Metadata = new Kube.Models.V1ObjectMeta { Name = "m", Namespace = "default" },
        Spec = new RecModelSpec { Slo = new SloSpec { P99LatencyMs = 25 }, Variants = [variant] },
    };

    /// <summary>The loop's use of the tracker for one variant in one pool, sync by sync.</summary>
    private sealed class Tracker(RecModel model)
    {
        private static readonly PlacementKey Key = new("cpu", "cpu");
        private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private IReadOnlyDictionary<string, CapacityEstimate> _capacity = new Dictionary<string, CapacityEstimate>();
        private IReadOnlyDictionary<string, ReadyCount> _ready = new Dictionary<string, ReadyCount>();

        public CapacityEstimate Sync(int seconds, double windowQps, double p99Ms, int ready, int deployed, bool starting = false)
        {
            var now = Start.AddSeconds(seconds);
            var measurement = new FleetMeasurement(
                new Dictionary<PlacementKey, MetricsSample> { [Key] = new(windowQps, p99Ms, ready) },
                new Dictionary<PlacementKey, MetricsSample> { [Key] = new(windowQps, p99Ms, ready) });
            var observed = new ObservedFleet(new Dictionary<PlacementKey, int> { [Key] = deployed }, new Dictionary<PlacementKey, ReplicaCounts> { [Key] = new(ready, 0) });
            _ready = CapacityTracker.ReadyCounts(model, _ready, measurement, observed, now);
            var startingVariants = starting ? new HashSet<string> { "cpu" } : [];
            _capacity = CapacityTracker.Update(model, _capacity, measurement, observed, _ready, startingVariants, now);
            return _capacity["cpu"];
        }
    }
}
