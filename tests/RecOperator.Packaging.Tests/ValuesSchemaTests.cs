using System.Text.Json.Nodes;

namespace RecOperator.Packaging.Tests;

/// <summary>values.schema.json accepts the chart's own values and rejects wrong ones, naming the field.</summary>
public sealed class ValuesSchemaTests
{
    private readonly JsonSchemaValidator _validator = new(ChartFiles.Schema());

    [Fact]
    public void Validate_DefaultValues_Accepted()
    {
        _validator.Validate(ChartFiles.Values()).Should().BeEmpty();
    }

    [Fact]
    public void Validate_PrometheusSourceWithUrl_Accepted()
    {
        var values = ChartFiles.Set(ChartFiles.Values(), "metrics.source", "prometheus");
        ChartFiles.Set(values, "metrics.prometheusUrl", "http://prometheus-operated.monitoring:9090");
        _validator.Validate(values).Should().BeEmpty();
    }

    [Theory]
    [InlineData("replicas", "\"two\"", "replicas: must be \"integer\"")]
    [InlineData("replicas", "0", "replicas: must be >= 1")]
    [InlineData("image.pullPolicy", "\"Sometimes\"", "image.pullPolicy: must be one of")]
    [InlineData("image.tag", "\"\"", "image.tag: must have at least 1 characters")]
    [InlineData("metrics.source", "\"prometheus\"", "metrics.prometheusUrl: must have at least 1 characters")]
    [InlineData("metrics.source", "\"datadog\"", "metrics.source: must be one of")]
    [InlineData("metrics.prometheusUrl", "\"ftp://prometheus\"", "metrics.prometheusUrl: 'ftp://prometheus' does not match")]
    [InlineData("metrics.serviceMonitor.interval", "\"often\"", "metrics.serviceMonitor.interval: 'often' does not match")]
    [InlineData("metrics.podMonitor.enabled", "\"yes\"", "metrics.podMonitor.enabled: must be \"boolean\"")]
    [InlineData("healthPort", "80", "healthPort: must be >= 1024")]
    [InlineData("leaderElection.leaseName", "\"Bad_Name\"", "leaderElection.leaseName: 'Bad_Name' does not match")]
    [InlineData("podSecurityContext.runAsNonRoot", "false", "podSecurityContext.runAsNonRoot: must be true")]
    [InlineData("resources.requests.cpu", "\"lots\"", "resources.requests.cpu: 'lots' does not match")]
    [InlineData("tolerations", "[{\"key\":\"gpu\",\"operator\":\"Maybe\"}]", "tolerations[0].operator: must be one of")]
    [InlineData("nodeSelector", "{\"pool\":3}", "nodeSelector.pool: must be \"string\"")]
    [InlineData("replicaCount", "2", "replicaCount: is not a known field")]
    [InlineData("leaderElection.enabled", "false", "replicas: must be <= 1")]
    [InlineData("metrics.prometheusAuthorization.secretName", "\"prom-token\"", "metrics.prometheusAuthorization.secretName: must have at most 0 characters")]
    [InlineData("logFormat", "\"xml\"", "logFormat: must be one of")]
    [InlineData("watchNamespace", "\"Team_A\"", "watchNamespace: 'Team_A' does not match")]
    [InlineData("extraArgs", "[\"namespace=x\"]", "extraArgs[0]: 'namespace=x' does not match")]
    [InlineData("extraEnv", "[{\"value\":\"x\"}]", "extraEnv[0].name: is required")]
    public void Validate_BadValue_NamesTheField(string path, string json, string expected)
    {
        var values = ChartFiles.Values();
        if (path.Contains('.', StringComparison.Ordinal) || values.ContainsKey(path))
        {
            ChartFiles.Set(values, path, JsonNode.Parse(json));
        }
        else
        {
            values[path] = JsonNode.Parse(json);
        }

        _validator.Validate(values).Should().Contain(e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_OneReplicaWithoutLeaderElectionAndAuthorizedPrometheus_Accepted()
    {
        var values = ChartFiles.Set(ChartFiles.Values(), "leaderElection.enabled", false);
        ChartFiles.Set(values, "replicas", 1);
        ChartFiles.Set(values, "metrics.source", "prometheus");
        ChartFiles.Set(values, "metrics.prometheusUrl", "https://prometheus.monitoring:9090");
        ChartFiles.Set(values, "metrics.prometheusAuthorization.secretName", "prom-token");
        _validator.Validate(values).Should().BeEmpty();
    }

    [Fact]
    public void Validate_MissingRequiredSection_NamesIt()
    {
        var values = ChartFiles.Values();
        values.Remove("image");
        _validator.Validate(values).Should().Contain("image: is required");
    }

    [Fact]
    public void Validator_UnsupportedKeyword_Throws()
    {
        var validator = new JsonSchemaValidator(new JsonObject { ["oneOf"] = new JsonArray() });
        validator.Invoking(v => v.Validate(new JsonObject())).Should().Throw<NotSupportedException>().WithMessage("*oneOf*");
    }
}
