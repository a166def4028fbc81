using RecOperator.Operator.Metrics;

namespace RecOperator.Operator.Tests.Metrics;

public sealed class PrometheusClientTests
{
    [Theory]
    [InlineData(new[] { "42.5" }, 42.5, null)]
    [InlineData(new[] { "+Inf" }, double.PositiveInfinity, null)]
    [InlineData(new string[0], null, "no series")]
    [InlineData(new[] { "NaN" }, null, "NaN")]
    [InlineData(new[] { "1", "2" }, null, "2 series")]
    public async Task QueryAsync_VectorAnswer_HasDefinedMeaning(string[] values, double? expected, string? reason)
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        prometheus.Answers["q"] = (200, FakePrometheus.Vector(values));
        using var http = new HttpClient();

        var result = await new PrometheusClient(http, new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress }).QueryAsync("q", CancellationToken.None);

        result.Value.Should().Be(expected);
        if (reason is not null)
        {
            result.MissingReason.Should().Contain(reason);
        }
    }

    [Fact]
    public async Task QueryAsync_ErrorStatus_IsMissingWithPrometheusError()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        prometheus.Answers["bad("] = (400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}");
        using var http = new HttpClient();

        var result = await new PrometheusClient(http, new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress }).QueryAsync("bad(", CancellationToken.None);

        result.Value.Should().BeNull();
        result.MissingReason.Should().Be("HTTP 400: parse error");
    }

    [Fact]
    public async Task QueryAsync_SlowServer_TimesOutAsMissing()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        prometheus.Delay = TimeSpan.FromSeconds(5);
        using var http = new HttpClient();
        var options = new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };

        var result = await new PrometheusClient(http, options).QueryAsync("q", CancellationToken.None);

        result.MissingReason.Should().StartWith("timed out");
    }

    [Fact]
    public async Task QueryAsync_WithAuthorization_SendsHeaderAndEscapedQuery()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        using var http = new HttpClient();
        var options = new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress, Authorization = "Bearer s3cret" };

        await new PrometheusClient(http, options).QueryAsync("sum(rate(x{a=\"b c\"}[1m]))", CancellationToken.None);

        prometheus.Requests.Should().ContainSingle().Which.Should().Be(("sum(rate(x{a=\"b c\"}[1m]))", "Bearer s3cret"));
    }

    [Fact]
    public async Task MetricsSource_QpsMissing_ReturnsMissingSample()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        using var http = new HttpClient();
        var source = new PrometheusMetricsSource(new PrometheusClient(http, new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress }));

        var sample = await source.QueryAsync("cpu-int8", "cpu-spot", TimeSpan.FromMinutes(1), CancellationToken.None);

        sample.IsMissing.Should().BeTrue();
        prometheus.Requests.Should().ContainSingle().Which.Query.Should().Contain("variant=\"cpu-int8\",pool=\"cpu-spot\"}[60s]");
    }

    [Fact]
    public async Task MetricsSource_AllAnswered_FillsSample()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        prometheus.Answers[Query(PrometheusMetricsSource.QpsTemplate)] = (200, FakePrometheus.Vector("1234"));
        prometheus.Answers[Query(PrometheusMetricsSource.P99Template)] = (200, FakePrometheus.Vector("21.5"));
        prometheus.Answers[Query(PrometheusMetricsSource.ReadyTemplate)] = (200, FakePrometheus.Vector("3"));
        using var http = new HttpClient();
        var source = new PrometheusMetricsSource(new PrometheusClient(http, new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress }));

        var sample = await source.QueryAsync("v", "p", TimeSpan.FromSeconds(30), CancellationToken.None);

        sample.Should().Be(new MetricsSample(1234, 21.5, 3));
    }

    [Fact]
    public async Task MetricsSource_ThreeQueries_AreEvaluatedAtTheSameInstant()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        prometheus.Answers[Query(PrometheusMetricsSource.QpsTemplate)] = (200, FakePrometheus.Vector("10"));
        prometheus.Delay = TimeSpan.FromMilliseconds(50);
        using var http = new HttpClient();
        var clock = new Autoscaling.ManualClock();
        clock.Advance(TimeSpan.FromMilliseconds(250));
        var source = new PrometheusMetricsSource(new PrometheusClient(http, new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress }), clock);

        await source.QueryAsync("v", "p", TimeSpan.FromSeconds(30), CancellationToken.None);

        var expected = (clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        prometheus.EvaluationTimes.Should().HaveCount(3).And.OnlyContain(t => t == expected, "QPS, p99 and ready must describe one window");
    }

    [Fact]
    public async Task QueryAsync_NoInstant_LeavesTheTimeToPrometheus()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        using var http = new HttpClient();

        await new PrometheusClient(http, new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress }).QueryAsync("up", CancellationToken.None);

        prometheus.EvaluationTimes.Should().Equal("");
    }

    private static string Query(string template) =>
        template.Replace("{variant}", "v", StringComparison.Ordinal).Replace("{pool}", "p", StringComparison.Ordinal).Replace("{window}", "30s", StringComparison.Ordinal);
}
