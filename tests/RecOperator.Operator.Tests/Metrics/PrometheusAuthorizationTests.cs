using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Metrics;
using RecOperator.Operator.Metrics.Scraping;

namespace RecOperator.Operator.Tests.Metrics;

/// <summary>
/// The Prometheus authorization setting end to end, as the operator wires it (AutoscalerOptions -> ModelMetricsSources
/// -> PrometheusClient), against a Prometheus stand-in on 127.0.0.1 that refuses queries without the header.
/// </summary>
public sealed class PrometheusAuthorizationTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("recop-prom-auth-").FullName;
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task QueryAsync_TokenFileRotated_SendsTheNewTokenWithoutARestart()
    {
        await using var prometheus = await StartAsync("Bearer first-token");
        var tokenFile = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(tokenFile, "first-token\n");
        var source = Sources(prometheus.BaseAddress.ToString(), PrometheusAuthorization.FromFile(tokenFile)).For(Model(null));

        var before = await source.QueryAsync("cpu", "spot", Window, CancellationToken.None);
        prometheus.RequiredAuthorization = "Bearer rotated-tok";
        await File.WriteAllTextAsync(tokenFile, "rotated-tok\n");
        // The same length as before: only the modification time tells the rotation apart (kubelet swaps the file).
        File.SetLastWriteTimeUtc(tokenFile, DateTime.UtcNow.AddSeconds(5));
        var after = await source.QueryAsync("cpu", "spot", Window, CancellationToken.None);

        before.Should().Be(new MetricsSample(120, 9.5, 2));
        after.Should().Be(new MetricsSample(120, 9.5, 2), "the rotated token was read and accepted");
        prometheus.Requests.Select(r => r.Authorization).Distinct().Should().Equal("Bearer first-token", "Bearer rotated-tok");
    }

    [Fact]
    public async Task QueryAsync_ValueFromTheEnvironment_IsSentAsGiven()
    {
        await using var prometheus = await StartAsync("Basic dXNlcjpwYXNz");
        var source = Sources(prometheus.BaseAddress.ToString(), PrometheusAuthorization.FromValue("Basic dXNlcjpwYXNz")).For(Model(null));

        var sample = await source.QueryAsync("cpu", "spot", Window, CancellationToken.None);

        sample.Should().Be(new MetricsSample(120, 9.5, 2));
    }

    [Fact]
    public async Task QueryAsync_NoAuthorization_MissingAndTheReasonNamesTheSetting()
    {
        await using var prometheus = await StartAsync("Bearer needed");
        var client = new PrometheusClient(_http, new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress });

        var result = await client.QueryAsync("up", CancellationToken.None);

        result.Value.Should().BeNull();
        result.MissingReason.Should().Be(
            "HTTP 401: Prometheus refused the request (no authorization configured: RECOP_PROMETHEUS_AUTHORIZATION or --prometheus-authorization-file)");
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData(null, "does not exist")]
    public async Task QueryAsync_UnusableTokenFile_MissingWithoutSendingTheQuery(string? content, string expected)
    {
        await using var prometheus = await StartAsync("Bearer needed");
        var tokenFile = Path.Combine(_dir, "token");
        if (content is not null)
        {
            await File.WriteAllTextAsync(tokenFile, content);
        }

        var client = new PrometheusClient(_http, new PrometheusClientOptions { BaseAddress = prometheus.BaseAddress, Authorization = PrometheusAuthorization.FromFile(tokenFile) });
        var result = await client.QueryAsync("up", CancellationToken.None);

        result.MissingReason.Should().StartWith("authorization: ").And.Contain(tokenFile).And.Contain(expected);
        prometheus.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task For_ModelNamingAnotherPrometheus_NeverReceivesTheOperatorsCredential()
    {
        await using var cluster = await StartAsync("Bearer operator-secret");
        await using var other = await StartAsync(null);
        var sources = Sources(cluster.BaseAddress.ToString(), PrometheusAuthorization.FromValue("operator-secret"));

        await sources.For(Model(other.BaseAddress.ToString())).QueryAsync("cpu", "spot", Window, CancellationToken.None);
        var sameOrigin = await sources.For(Model(cluster.BaseAddress.ToString().TrimEnd('/'))).QueryAsync("cpu", "spot", Window, CancellationToken.None);

        other.Requests.Should().NotBeEmpty().And.OnlyContain(r => r.Authorization == null, "a RecModel's own URL gets no operator credential");
        sameOrigin.IsMissing.Should().BeFalse("the cluster Prometheus's origin, named in a model's spec, still gets it");
    }

    [Theory]
    [InlineData("/run/token", null, "http://prom:9090", null)]
    [InlineData(null, "Bearer x", "http://prom:9090", null)]
    [InlineData("/run/token", "Bearer x", "http://prom:9090", "not both")]
    [InlineData(null, "Bearer x", null, "needs --metrics-source=prometheus --prometheus-url URL")]
    [InlineData(null, "   ", "http://prom:9090", "is empty")]
    public void FromSettings_FileValueAndUrl_ResolvesOrNamesTheMistake(string? file, string? value, string? url, string? error)
    {
        var resolve = () => PrometheusAuthorization.FromSettings(file, value, url);

        if (error is null)
        {
            resolve().Should().NotBeNull().And.Match<PrometheusAuthorization>(a => a.Origin == (file ?? PrometheusAuthorization.EnvironmentVariable));
        }
        else
        {
            resolve.Should().Throw<FormatException>().Which.Message.Should().Contain(error);
        }
    }

    [Fact]
    public void FromSettings_NeitherGiven_IsNull() =>
        PrometheusAuthorization.FromSettings(null, null, "http://prom:9090").Should().BeNull();

    private ModelMetricsSources Sources(string clusterUrl, PrometheusAuthorization authorization)
    {
        var options = new AutoscalerOptions { ClusterPrometheusUrl = clusterUrl, PrometheusAuthorization = authorization };
        return new ModelMetricsSources(new ScrapeStore(), _http, TimeProvider.System, options.PrometheusTimeout, options.ClusterPrometheusUrl, options.PrometheusAuthorization);
    }

    private static async Task<FakePrometheus> StartAsync(string? required)
    {
        var prometheus = await FakePrometheus.StartAsync();
        prometheus.RequiredAuthorization = required;
        var key = new Runtime.ObjectKey("shop", "ranking");
        prometheus.Answers[Query(PrometheusMetricsSource.QpsTemplate, key)] = (200, FakePrometheus.Vector("120"));
        prometheus.Answers[Query(PrometheusMetricsSource.P99Template, key)] = (200, FakePrometheus.Vector("9.5"));
        prometheus.Answers[Query(PrometheusMetricsSource.ReadyTemplate, key)] = (200, FakePrometheus.Vector("2"));
        return prometheus;
    }

    private static string Query(string template, Runtime.ObjectKey model) => template
        .Replace("{namespace}", model.Namespace, StringComparison.Ordinal).Replace("{model}", model.Name, StringComparison.Ordinal)
        .Replace("{variant}", "cpu", StringComparison.Ordinal).Replace("{pool}", "spot", StringComparison.Ordinal).Replace("{window}", "30s", StringComparison.Ordinal);

    // A model on the Direct source reads the cluster Prometheus; one on the Prometheus source reads its own URL.
    private static RecModel Model(string? ownPrometheus) => new()
    {
        Metadata = new V1ObjectMeta { Name = "ranking", Namespace = "shop" },
        Spec = new RecModelSpec
        {
            Slo = new SloSpec { P99LatencyMs = 20 },
            Autoscaling = new AutoscalingSpec
            {
                Metrics = ownPrometheus is null
                    ? new MetricsSourceSpec()
                    : new MetricsSourceSpec { Source = MetricsSourceKind.Prometheus, PrometheusUrl = ownPrometheus },
            },
            Variants = [new VariantSpec { Name = "cpu", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = ["spot"] }],
        },
    };
}
