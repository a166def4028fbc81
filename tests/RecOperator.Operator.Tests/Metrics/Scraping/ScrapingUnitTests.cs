using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Metrics;
using RecOperator.Operator.Metrics.Scraping;
using RecOperator.Operator.Runtime;
using RecOperator.Operator.Tests.Autoscaling;

namespace RecOperator.Operator.Tests.Metrics.Scraping;

public sealed class ScrapingUnitTests
{
    private static readonly ObjectKey Model = new("ns", "m");

    [Fact]
    public void Discover_EndpointsWithReadyAndNotReadyPods_TargetsReadyPodsOnTheirHostPorts()
    {
        var pods = new Dictionary<ObjectKey, V1Pod>
        {
            [new("ns", "a")] = Pod("a", "spot"),
            [new("ns", "b")] = Pod("b", "ondemand"),
            [new("ns", "c")] = Pod("c", "spot"),
        };
        var endpoints = new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = ChildNames.VariantService("m", "cpu"), Namespace = "ns" },
            Subsets =
            [
                Subset(40001, ready: "a", notReady: "c"),
                Subset(40002, ready: "b", notReady: null),
                new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "127.0.0.1" }], Ports = [new V1EndpointPort { Name = "http", Port = 40003 }] },
            ],
        };

        var targets = ScrapeTargetDiscovery.Discover(ModelWith("cpu"), key => key == new ObjectKey("ns", "m-cpu") ? endpoints : null, pods.GetValueOrDefault);

        targets.Should().BeEquivalentTo(
        [
            new ScrapeTarget(Model, new ObjectKey("ns", "a"), "cpu", "spot", new Uri("http://127.0.0.1:40001/metrics")),
            new ScrapeTarget(Model, new ObjectKey("ns", "b"), "cpu", "ondemand", new Uri("http://127.0.0.1:40002/metrics")),
        ], "not-ready pods and addresses without a pod are not scraped");
    }

    [Fact]
    public async Task QueryAsync_CounterResetInWindow_BridgesItAsPromQlRateDoes()
    {
        var clock = new ManualClock();
        var store = new ScrapeStore();
        var target = new ScrapeTarget(Model, new ObjectKey("ns", "a"), "cpu", "spot", new Uri("http://127.0.0.1:1/metrics"));
        store.SetTargets(new Dictionary<ObjectKey, IReadOnlyList<ScrapeTarget>> { [Model] = [target] });
        var start = clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        double[] counts = [100, 200, 300, 50, 150, 250];
        for (var i = 0; i < counts.Length; i++)
        {
            store.Record(target, Scrape(start + (10 * i), counts[i]));
        }

        clock.Advance(TimeSpan.FromSeconds(50));
        var sample = await new ScrapingMetricsSource(Model, store, clock).QueryAsync("cpu", "spot", TimeSpan.FromSeconds(50), CancellationToken.None);

        var points = counts.Select((c, i) => new CounterPoint(start + (10 * i), c)).ToList();
        sample.Qps.Should().BeApproximately(PromQl.Rate(points, start, start + 50), 1e-9);
        sample.Qps.Should().BeApproximately(450.0 / 50, 1e-9, "4 x 100 requests, plus 50 counted from zero after the counter reset at 300");
        sample.P99Ms.Should().BeApproximately(PromQl.HistogramQuantile(0.99, [new(0.01, 1), new(double.PositiveInfinity, 1)]) * 1000, 1e-9);
        sample.ReadyReplicas.Should().Be(1);
    }

    [Fact]
    public async Task QueryAsync_OneScrapeOnly_IsMissingButCountsReadyReplicas()
    {
        var clock = new ManualClock();
        var store = new ScrapeStore();
        var target = new ScrapeTarget(Model, new ObjectKey("ns", "a"), "cpu", "spot", new Uri("http://127.0.0.1:1/metrics"));
        store.SetTargets(new Dictionary<ObjectKey, IReadOnlyList<ScrapeTarget>> { [Model] = [target] });
        store.Record(target, Scrape(clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, 10));

        var sample = await new ScrapingMetricsSource(Model, store, clock).QueryAsync("cpu", "spot", TimeSpan.FromSeconds(60), CancellationToken.None);

        sample.IsMissing.Should().BeTrue("one point gives no rate: demand unknown, not zero");
        sample.ReadyReplicas.Should().Be(1);
    }

    [Fact]
    public async Task QueryAsync_IdlePodWithSeriesAtZero_ZeroQpsAndNoP99RatherThanMissing()
    {
        var clock = new ManualClock();
        var store = new ScrapeStore();
        var target = new ScrapeTarget(Model, new ObjectKey("ns", "a"), "cpu", "spot", new Uri("http://127.0.0.1:1/metrics"));
        store.SetTargets(new Dictionary<ObjectKey, IReadOnlyList<ScrapeTarget>> { [Model] = [target] });
        var start = clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        for (var i = 0; i < 5; i++)
        {
            store.Record(target, Scrape(start + (2 * i), 0));
        }

        clock.Advance(TimeSpan.FromSeconds(10));
        var sample = await new ScrapingMetricsSource(Model, store, clock).QueryAsync("cpu", "spot", TimeSpan.FromSeconds(60), CancellationToken.None);

        sample.Should().Be(new MetricsSample(0, null, 1), "an idle pod is measured: 0 QPS, and no quantile of no observations");
        sample.IsMissing.Should().BeFalse();
    }

    [Fact]
    public async Task QueryAsync_NoReadyPod_MissingWithTheReason()
    {
        var sample = await new ScrapingMetricsSource(Model, new ScrapeStore(), new ManualClock()).QueryAsync("cpu", "spot", TimeSpan.FromSeconds(60), CancellationToken.None);

        (sample.IsMissing, sample.MissingReason).Should().Be((true, "no ready pod to scrape"));
    }

    [Fact]
    public void From_MetricsPage_KeepsRequestCountersAndDurationBucketsOnly()
    {
        var page = PrometheusTextParser.Parse("""
            # TYPE recpod_requests_total counter
            recpod_requests_total{code="200",model="m",variant="cpu"} 7
            recpod_requests_total{code="500",model="m",variant="cpu"} 1
            recpod_request_duration_seconds_bucket{model="m",variant="cpu",le="0.01"} 5
            recpod_request_duration_seconds_bucket{model="m",variant="cpu",le="+Inf"} 8
            recpod_request_duration_seconds_sum{model="m",variant="cpu"} 0.2
            recpod_queue_depth{model="m",variant="cpu"} 3
            """);

        var scrape = PodScrape.From(12, page);

        scrape.Requests.Values.Should().BeEquivalentTo([7.0, 1.0]);
        scrape.DurationBuckets.Should().HaveCount(2).And.ContainKey(("model=m,variant=cpu", double.PositiveInfinity));
    }

    private static PodScrape Scrape(double time, double requests) => new(
        time,
        new Dictionary<string, double> { ["code=200"] = requests },
        new Dictionary<(string, double), double> { [("", 0.01)] = requests, [("", double.PositiveInfinity)] = requests });

    private static V1EndpointSubset Subset(int port, string ready, string? notReady) => new()
    {
        Addresses = [new V1EndpointAddress { Ip = "127.0.0.1", TargetRef = new V1ObjectReference { Kind = "Pod", Name = ready, Namespace = "ns" } }],
        NotReadyAddresses = notReady is null ? null : [new V1EndpointAddress { Ip = "127.0.0.1", TargetRef = new V1ObjectReference { Kind = "Pod", Name = notReady, Namespace = "ns" } }],
        Ports = [new V1EndpointPort { Name = PodPorts.GrpcName, Port = port + 1000 }, new V1EndpointPort { Name = PodPorts.HttpName, Port = port }],
    };

    private static V1Pod Pod(string name, string pool) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Namespace = "ns", Labels = ChildLabels.For("m", "cpu", pool) },
    };

    private static RecModel ModelWith(string variant) => new()
    {
        Metadata = new V1ObjectMeta { Name = "m", Namespace = "ns" },
        Spec = new RecModelSpec
        {
            Slo = new SloSpec { P99LatencyMs = 20 },
            Variants = [new VariantSpec { Name = variant, Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = ["spot", "ondemand"] }],
        },
    };
}
