using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// docs/metrics.md lists every metric the code defines, and the Grafana dashboard queries only metrics listed there,
/// in expressions Prometheus' own parser (promtool) accepts.
/// </summary>
public sealed partial class MetricsDocsTests
{
    private static readonly string[] HistogramSeries = ["_bucket", "_sum", "_count"];

    private static string Reference => File.ReadAllText(RepoPaths.Combine("docs", "metrics.md"));

    private static JsonObject Dashboard => JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("docs", "grafana", "rec-operator-dashboard.json")))!.AsObject();

    [Fact]
    public void Reference_EveryInstrumentTheCodeCreates_IsListed()
    {
        var created = Directory.GetFiles(RepoPaths.Combine("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Instrument().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();
        created.Should().Contain(["recpod_requests_total", "recpod_queue_depth", "recop_workqueue_depth"], "the scan must find the pod's and the operator's instruments");
        var documented = Documented();
        foreach (var name in created)
        {
            documented.Should().Contain(name, $"src creates the instrument {name}; list it in docs/metrics.md");
        }
    }

    [Fact]
    public void Dashboard_EveryQueriedMetric_IsInTheReference()
    {
        var documented = Documented();
        var queried = Expressions().SelectMany(e => Selector().Matches(e).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        queried.Should().Contain(["recpod_requests_total", "recop_reconcile_errors_total"]);
        foreach (var metric in queried)
        {
            var family = HistogramSeries.Where(s => metric.EndsWith(s, StringComparison.Ordinal)).Select(s => metric[..^s.Length]).FirstOrDefault(documented.Contains);
            documented.Should().Contain(family ?? metric, $"the dashboard queries {metric}");
        }
    }

    [Fact]
    public void Dashboard_Panels_EachHaveATitleAndAQuery()
    {
        var dashboard = Dashboard;
        ((string?)dashboard["uid"]).Should().NotBeNullOrEmpty();
        var panels = dashboard["panels"]!.AsArray().Where(p => (string?)p!["type"] != "row").ToList();
        panels.Should().HaveCountGreaterThan(8);
        panels.Should().OnlyContain(p => ((string?)p!["title"])!.Length > 0 && p["targets"]!.AsArray().Count > 0);
        panels.Select(p => (long)p!["id"]!).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Dashboard_Expressions_ParseInPromtool()
    {
        // Grafana's variables replaced by what they expand to, then every query checked as a recording rule.
        var rules = new JsonObject
        {
            ["groups"] = new JsonArray(new JsonObject
            {
                ["name"] = "dashboard",
                ["rules"] = new JsonArray(Expressions().Select((e, i) => (JsonNode)new JsonObject
                {
                    ["record"] = $"dashboard:query{i}",
                    ["expr"] = e.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$model", ".*", StringComparison.Ordinal),
                }).ToArray()),
            }),
        };
        var file = Path.Combine(Path.GetTempPath(), $"dashboard-rules-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, rules.ToJsonString());
        try
        {
            var result = await ProcessRunner.RunAsync("promtool", ["check", "rules", file], RepoPaths.Root, TimeSpan.FromMinutes(1));
            result.ExitCode.Should().Be(0, result.ToString());
            result.StandardOutput.Should().Contain($"SUCCESS: {Expressions().Count} rules found");
        }
        finally
        {
            File.Delete(file);
        }
    }

    // Every metric name the reference shows in backticks: `recpod_requests_total`, `up`.
    private static HashSet<string> Documented() =>
        Backticked().Matches(Reference).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    private static List<string> Expressions()
    {
        var dashboard = Dashboard;
        var panelQueries = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]?.AsArray() ?? []).Select(t => (string)t!["expr"]!);
        var variableQueries = dashboard["templating"]!["list"]!.AsArray()
            .Select(v => (string?)v!["definition"]).OfType<string>()
            .Select(d => LabelValues().Match(d)).Where(m => m.Success).Select(m => m.Groups[1].Value);
        return [.. panelQueries, .. variableQueries];
    }

    [GeneratedRegex(@"Create(?:Counter|Histogram|UpDownCounter|Gauge|ObservableGauge|ObservableCounter|ObservableUpDownCounter)(?:<[^>]+>)?\(\s*""((?:recpod|recop)_[a-z0-9_]+)""")]
    private static partial Regex Instrument();

    // A metric name is what stands before a label selector in these queries (each one has a selector).
    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)\{")]
    private static partial Regex Selector();

    [GeneratedRegex(@"`([a-z_:][a-z0-9_:]*)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)")]
    private static partial Regex LabelValues();
}
