using System.Diagnostics.Metrics;

namespace RecOperator.Observability.Tests;

public sealed class PrometheusTextExporterTests
{
    private static readonly string[] Buckets = ["0.1", "1", "+Inf"];

    [Fact]
    public void Render_CounterWithTags_WritesTotalWithSortedLabels()
    {
        using var meter = new Meter(UniqueName());
        using var exporter = new PrometheusTextExporter(new() { MeterNames = [meter.Name] });
        var requests = meter.CreateCounter<long>("recpod_requests_total", description: "Requests answered");
        requests.Add(2, new KeyValuePair<string, object?>("model", "m"), new KeyValuePair<string, object?>("code", "200"));
        requests.Add(3, new KeyValuePair<string, object?>("code", "200"), new KeyValuePair<string, object?>("model", "m"));

        var text = exporter.Render();

        text.Should().Contain("# HELP recpod_requests_total Requests answered\n# TYPE recpod_requests_total counter\n");
        text.Should().Contain("recpod_requests_total{code=\"200\",model=\"m\"} 5\n");
    }

    [Fact]
    public void Render_SameTagsManyTimesAndFiveTags_AddUpInOneSeriesEach()
    {
        using var meter = new Meter(UniqueName());
        using var exporter = new PrometheusTextExporter(new() { MeterNames = [meter.Name] });
        var counter = meter.CreateCounter<long>("hits_total");
        KeyValuePair<string, object?>[] five = [new("a", 1), new("b", 2), new("c", 3), new("d", 4), new("e", 5)];
        for (var i = 0; i < 1000; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("code", 200));
            counter.Add(1, five);
        }

        var text = exporter.Render();

        text.Should().Contain("hits_total{code=\"200\"} 1000\n");
        text.Should().Contain("hits_total{a=\"1\",b=\"2\",c=\"3\",d=\"4\",e=\"5\"} 1000\n");
    }

    [Fact]
    public void Render_EightAndNineTags_AddUpInOneSeriesEach()
    {
        using var meter = new Meter(UniqueName());
        using var exporter = new PrometheusTextExporter(new() { MeterNames = [meter.Name] });
        var counter = meter.CreateCounter<long>("hits_total");
        KeyValuePair<string, object?>[] eight = [.. Enumerable.Range(0, 8).Select(i => new KeyValuePair<string, object?>($"k{i}", i))];
        KeyValuePair<string, object?>[] nine = [.. Enumerable.Range(0, 9).Select(i => new KeyValuePair<string, object?>($"n{i}", i))];
        KeyValuePair<string, object?>[] eightOther = [.. eight[..7], new("k7", 70)];
        for (var i = 0; i < 100; i++)
        {
            counter.Add(1, eight);
            counter.Add(1, nine);
            counter.Add(2, eightOther);
        }

        var text = exporter.Render();

        text.Should().Contain("hits_total{k0=\"0\",k1=\"1\",k2=\"2\",k3=\"3\",k4=\"4\",k5=\"5\",k6=\"6\",k7=\"7\"} 100\n");
        text.Should().Contain("hits_total{k0=\"0\",k1=\"1\",k2=\"2\",k3=\"3\",k4=\"4\",k5=\"5\",k6=\"6\",k7=\"70\"} 200\n");
        text.Should().Contain("hits_total{n0=\"0\",n1=\"1\",n2=\"2\",n3=\"3\",n4=\"4\",n5=\"5\",n6=\"6\",n7=\"7\",n8=\"8\"} 100\n");
    }

    [Fact]
    public void Render_CounterWithoutSuffix_AppendsTotalAndSanitizesDots()
    {
        using var meter = new Meter(UniqueName());
        using var exporter = new PrometheusTextExporter(new() { MeterNames = [meter.Name] });
        meter.CreateCounter<int>("kestrel.connections").Add(1);

        exporter.Render().Should().Contain("kestrel_connections_total 1\n");
    }

    [Fact]
    public void Render_HistogramWithAdvice_WritesCumulativeBucketsSumAndCount()
    {
        using var meter = new Meter(UniqueName());
        using var exporter = new PrometheusTextExporter(new() { MeterNames = [meter.Name] });
        var histogram = meter.CreateHistogram<double>("latency_seconds", "s", "Latency", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        histogram.Record(0.05);
        histogram.Record(0.5);
        histogram.Record(5);

        var text = exporter.Render();

        text.Should().Contain("# TYPE latency_seconds histogram\n");
        text.Should().Contain("latency_seconds_bucket{le=\"0.1\"} 1\n");
        text.Should().Contain("latency_seconds_bucket{le=\"1\"} 2\n");
        text.Should().Contain("latency_seconds_bucket{le=\"+Inf\"} 3\n");
        text.Should().Contain("latency_seconds_sum 5.55\n");
        text.Should().Contain("latency_seconds_count 3\n");
        Buckets.Should().AllSatisfy(le => text.Should().Contain($"le=\"{le}\""));
    }

    [Fact]
    public void Initialize_BeforeAnyMeasurement_RendersTheCounterAtZeroAndTheHistogramEmpty()
    {
        using var meter = new Meter(UniqueName());
        using var exporter = new PrometheusTextExporter(new() { MeterNames = [meter.Name] });
        var requests = meter.CreateCounter<long>("recpod_requests_total");
        var latency = meter.CreateHistogram<double>("latency_seconds", "s", "Latency", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        KeyValuePair<string, object?> model = new("model", "m");

        exporter.Initialize(requests, model, new("code", "200"));
        exporter.Initialize(latency, model);
        var idle = exporter.Render();
        requests.Add(1, new("code", "200"), model);
        latency.Record(0.5, model);
        var served = exporter.Render();

        idle.Should().Contain("recpod_requests_total{code=\"200\",model=\"m\"} 0\n");
        idle.Should().Contain("latency_seconds_bucket{model=\"m\",le=\"0.1\"} 0\n");
        idle.Should().Contain("latency_seconds_bucket{model=\"m\",le=\"+Inf\"} 0\n");
        idle.Should().Contain("latency_seconds_sum{model=\"m\"} 0\n");
        idle.Should().Contain("latency_seconds_count{model=\"m\"} 0\n");
        served.Split('\n').Where(l => l.StartsWith("recpod_requests_total{", StringComparison.Ordinal))
            .Should().Equal(["recpod_requests_total{code=\"200\",model=\"m\"} 1"], "a measurement lands in the initialised series, not beside it");
        served.Should().Contain("latency_seconds_count{model=\"m\"} 1\n");
    }

    [Fact]
    public void Initialize_InstrumentOfAMeterNotExported_WritesNothing()
    {
        using var meter = new Meter(UniqueName());
        using var other = new Meter(UniqueName());
        using var exporter = new PrometheusTextExporter(new() { MeterNames = [meter.Name] });

        exporter.Initialize(other.CreateCounter<long>("elsewhere_total"), new KeyValuePair<string, object?>("model", "m"));

        exporter.Render().Should().NotContain("elsewhere_total");
    }

    [Fact]
    public void Render_UpDownCounterAndGauges_WriteGaugesWithCurrentValues()
    {
        using var meter = new Meter(UniqueName());
        using var exporter = new PrometheusTextExporter(new() { MeterNames = [meter.Name] });
        var inflight = meter.CreateUpDownCounter<long>("recpod_inflight");
        inflight.Add(3);
        inflight.Add(-1);
        var load = meter.CreateGauge<double>("recpod_model_load_seconds");
        load.Record(4);
        load.Record(1.5);
        var depth = 7;
        meter.CreateObservableGauge("recpod_queue_depth", () => depth);
        meter.CreateObservableCounter("cpu_seconds_total", () => 12.5);

        var text = exporter.Render();

        text.Should().Contain("# TYPE recpod_inflight gauge\nrecpod_inflight 2\n");
        text.Should().Contain("recpod_model_load_seconds 1.5\n");
        text.Should().Contain("recpod_queue_depth 7\n");
        text.Should().Contain("# TYPE cpu_seconds_total counter\ncpu_seconds_total 12.5\n");
        depth = 9;
        exporter.Render().Should().Contain("recpod_queue_depth 9\n");
    }

    [Fact]
    public void Render_MeterNotListedOrFilteredOut_IsNotExported()
    {
        using var listed = new Meter(UniqueName());
        using var other = new Meter(UniqueName());
        using var exporter = new PrometheusTextExporter(new() { MeterNames = [listed.Name] }, m => m == listed);
        other.CreateCounter<long>("other_total").Add(1);
        listed.CreateCounter<long>("mine_total").Add(1);

        var text = exporter.Render();

        text.Should().Contain("mine_total 1");
        text.Should().NotContain("other_total");
    }

    [Fact]
    public void Render_LabelValueWithQuotesAndNewlines_IsEscaped()
    {
        using var meter = new Meter(UniqueName());
        using var exporter = new PrometheusTextExporter(new() { MeterNames = [meter.Name] });
        meter.CreateCounter<long>("odd_total").Add(1, new KeyValuePair<string, object?>("http.route", "a\"b\\c\nd"));

        exporter.Render().Should().Contain("odd_total{http_route=\"a\\\"b\\\\c\\nd\"} 1\n");
    }

    [Theory]
    [InlineData("http.server.request.duration", MetricKind.Histogram, "http_server_request_duration")]
    [InlineData("1st", MetricKind.Gauge, "_1st")]
    [InlineData("dotnet.gc.collections", MetricKind.Counter, "dotnet_gc_collections_total")]
    [InlineData("done_total", MetricKind.Counter, "done_total")]
    [InlineData("dotnet.assembly.count", MetricKind.Gauge, "dotnet_assembly_count_value")]
    [InlineData("queue_depth", MetricKind.Gauge, "queue_depth")]
    public void MetricName_InstrumentNames_MapToPrometheusNames(string instrument, MetricKind kind, string expected) =>
        PrometheusNames.MetricName(instrument, kind).Should().Be(expected);

    private static string UniqueName() => "test." + Guid.NewGuid().ToString("N");
}
