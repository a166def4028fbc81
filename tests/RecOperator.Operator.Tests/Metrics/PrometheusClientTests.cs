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
        var options = new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress, Authorization = PrometheusAuthorization.FromValue("Bearer s3cret") };

        await new PrometheusClient(http, options).QueryAsync("sum(rate(x{a=\"b c\"}[1m]))", CancellationToken.None);

        prometheus.Requests.Should().ContainSingle().Which.Should().Be(("sum(rate(x{a=\"b c\"}[1m]))", "Bearer s3cret"));
    }

    [Fact]
    public async Task QueryAsync_NoInstant_LeavesTheTimeToPrometheus()
    {
        await using var prometheus = await FakePrometheus.StartAsync();
        using var http = new HttpClient();

        await new PrometheusClient(http, new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress }).QueryAsync("up", CancellationToken.None);

        prometheus.EvaluationTimes.Should().Equal("");
    }
}
