using System.Globalization;
using RecOperator.Operator.Metrics;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests.Metrics;

/// <summary>The Prometheus metrics source against a fake Prometheus on 127.0.0.1 that answers per query text.</summary>
public sealed class PrometheusMetricsSourceTests
{
    private static readonly ObjectKey Ranking = new("shop", "ranking");

    private static PrometheusMetricsSource Source(HttpClient http, FakePrometheus prometheus, ObjectKey model, TimeProvider? time = null) =>
        new(new PrometheusClient(http, new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress }), model, time);

    [Fact]
    public async Task QueryAsync_QpsMissing_ReturnsMissingSample()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        using var http = new HttpClient();

        var sample = await Source(http, prometheus, Ranking).QueryAsync("cpu-int8", "cpu-spot", TimeSpan.FromMinutes(1), CancellationToken.None);

        sample.IsMissing.Should().BeTrue();
        prometheus.Requests.Should().ContainSingle().Which.Query.Should().Be(
            "sum(rate(recpod_requests_total{namespace=\"shop\",model=\"ranking\",variant=\"cpu-int8\",pool=\"cpu-spot\"}[60s]))");
    }

    [Fact]
    public async Task QueryAsync_AllAnswered_FillsSample()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        prometheus.Answers[Query(PrometheusMetricsSource.QpsTemplate, Ranking)] = (200, FakePrometheus.Vector("1234"));
        prometheus.Answers[Query(PrometheusMetricsSource.P99Template, Ranking)] = (200, FakePrometheus.Vector("21.5"));
        prometheus.Answers[Query(PrometheusMetricsSource.ReadyTemplate, Ranking)] = (200, FakePrometheus.Vector("3"));
        using var http = new HttpClient();

        var sample = await Source(http, prometheus, Ranking).QueryAsync("v", "p", TimeSpan.FromSeconds(30), CancellationToken.None);

        sample.Should().Be(new MetricsSample(1234, 21.5, 3));
    }

    [Fact]
    public async Task QueryAsync_IdleVariant_ZeroQpsAndNoP99RatherThanMissing()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        prometheus.Answers[Query(PrometheusMetricsSource.QpsTemplate, Ranking)] = (200, FakePrometheus.Vector("0"));
        prometheus.Answers[Query(PrometheusMetricsSource.P99Template, Ranking)] = (200, FakePrometheus.Vector("NaN"));
        prometheus.Answers[Query(PrometheusMetricsSource.ReadyTemplate, Ranking)] = (200, FakePrometheus.Vector("2"));
        using var http = new HttpClient();

        var sample = await Source(http, prometheus, Ranking).QueryAsync("v", "p", TimeSpan.FromSeconds(30), CancellationToken.None);

        sample.Should().Be(new MetricsSample(0, null, 2), "the pods' series exist at 0 from start-up; a quantile of no observations is NaN, which is no p99");
    }

    [Fact]
    public async Task QueryAsync_PrometheusUnreachable_MissingWithTheAddressAndTheCause()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var http = new HttpClient();
        var client = new PrometheusClient(http, new PrometheusClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/") });

        var sample = await new PrometheusMetricsSource(client, Ranking).QueryAsync("v", "p", TimeSpan.FromSeconds(30), CancellationToken.None);

        sample.IsMissing.Should().BeTrue();
        sample.MissingReason.Should().StartWith($"Prometheus at http://127.0.0.1:{port}/: query failed: ");
    }

    [Fact]
    public async Task QueryAsync_TwoModelsWithTheSameVariantAndPool_EachReadsOnlyItsOwnSeries()
    {
        var other = new ObjectKey("shop", "retrieval");
        var otherNamespace = new ObjectKey("staging", "ranking");
        await using var prometheus = await FakePrometheus.StartAsync();
        prometheus.Answers[Query(PrometheusMetricsSource.QpsTemplate, Ranking)] = (200, FakePrometheus.Vector("100"));
        prometheus.Answers[Query(PrometheusMetricsSource.QpsTemplate, other)] = (200, FakePrometheus.Vector("7"));
        prometheus.Answers[Query(PrometheusMetricsSource.QpsTemplate, otherNamespace)] = (200, FakePrometheus.Vector("55"));
        using var http = new HttpClient();

        var ranking = await Source(http, prometheus, Ranking).QueryAsync("v", "p", TimeSpan.FromSeconds(30), CancellationToken.None);
        var retrieval = await Source(http, prometheus, other).QueryAsync("v", "p", TimeSpan.FromSeconds(30), CancellationToken.None);
        var staging = await Source(http, prometheus, otherNamespace).QueryAsync("v", "p", TimeSpan.FromSeconds(30), CancellationToken.None);

        (ranking.Qps, retrieval.Qps, staging.Qps).Should().Be((100, 7, 55));
    }

    [Theory]
    [InlineData("m\"x", "m\\\"x")]
    [InlineData("m\\x", "m\\\\x")]
    [InlineData("m\nx", "m\\nx")]
    [InlineData("{variant}", "{variant}")]
    public async Task QueryAsync_LabelValuesNeedingEscapes_AreSentAsPromQlStrings(string name, string sent)
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        using var http = new HttpClient();

        await Source(http, prometheus, new ObjectKey(name, name)).QueryAsync("v", "p", TimeSpan.FromSeconds(30), CancellationToken.None);

        prometheus.Requests.Should().ContainSingle().Which.Query.Should().Contain($"{{namespace=\"{sent}\",model=\"{sent}\",variant=\"v\",pool=\"p\"}}");
    }

    [Fact]
    public async Task QueryAsync_ThreeQueries_AreEvaluatedAtTheSameInstant()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        prometheus.Answers[Query(PrometheusMetricsSource.QpsTemplate, Ranking)] = (200, FakePrometheus.Vector("10"));
        prometheus.Delay = TimeSpan.FromMilliseconds(50);
        using var http = new HttpClient();
        var clock = new Autoscaling.ManualClock();
        clock.Advance(TimeSpan.FromMilliseconds(250));

        await Source(http, prometheus, Ranking, clock).QueryAsync("v", "p", TimeSpan.FromSeconds(30), CancellationToken.None);

        var expected = (clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
        prometheus.EvaluationTimes.Should().HaveCount(3).And.OnlyContain(t => t == expected, "QPS, p99 and ready must describe one window");
    }

    private static string Query(string template, ObjectKey model) =>
        template.Replace("{namespace}", model.Namespace, StringComparison.Ordinal).Replace("{model}", model.Name, StringComparison.Ordinal)
            .Replace("{variant}", "v", StringComparison.Ordinal).Replace("{pool}", "p", StringComparison.Ordinal).Replace("{window}", "30s", StringComparison.Ordinal);
}
