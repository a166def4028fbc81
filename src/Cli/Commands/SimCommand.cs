using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Simulation;

namespace RecOperator.Cli.Commands;

/// <summary><c>recop sim --trace NAME</c>: runs our autoscaler and HPA baselines on a trace and compares them.</summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var trace = new Option<string?>("--trace") { Description = $"Built-in trace: {string.Join(", ", BuiltInTraces.Names)}" };
        var traceFile = new Option<string?>("--trace-file") { Description = "CSV trace: time_s,qps[,event] with events pool-down:NAME / pool-up:NAME" };
        var model = new Option<string>("--model") { Description = "RecModel manifest", DefaultValueFactory = _ => "manifests/samples/recmodel-ranking.yaml" };
        var pools = new Option<string>("--pools") { Description = "NodePool manifests (multi-document YAML)", DefaultValueFactory = _ => "manifests/samples/nodepools.yaml" };
        var seed = new Option<int>("--seed") { Description = "Random seed for arrivals", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var command = new Command("sim", "Simulate the fleet under a trace with RecOperator's autoscaler and HPA baselines: cost, SLO-violation minutes, recovery time, scale events")
        {
            trace, traceFile, model, pools, seed, json,
        };
        command.SetAction(async (parse, ct) => await RunAsync(
            parse.GetValue(trace), parse.GetValue(traceFile), parse.GetValue(model)!, parse.GetValue(pools)!, parse.GetValue(seed), parse.GetValue(json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct).ConfigureAwait(false));
        return command;
    }

    internal static async Task<int> RunAsync(string? traceName, string? traceFile, string modelFile, string poolsFile, int seed, bool json, TextWriter output, TextWriter error, CancellationToken ct)
    {
        try
        {
            var trace = await LoadTraceAsync(traceName, traceFile, ct).ConfigureAwait(false);
            var model = CrdsSerializer.ReadRecModel(Documents(await File.ReadAllTextAsync(modelFile, ct).ConfigureAwait(false)).Single(d => d["kind"]?.GetValue<string>() == RecModel.KindName));
            var nodePools = Documents(await File.ReadAllTextAsync(poolsFile, ct).ConfigureAwait(false))
                .Where(d => d["kind"]?.GetValue<string>() == NodePool.KindName).Select(CrdsSerializer.ReadNodePool).ToList();
            var report = SimulationRunner.Run(SimFleet.FromManifests(model, nodePools), trace, seed);
            await output.WriteLineAsync(json ? ToJson(report) : ToTable(report)).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException or InvalidOperationException or JsonException)
        {
            await error.WriteLineAsync($"sim: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task<Trace> LoadTraceAsync(string? name, string? file, CancellationToken ct)
    {
        if (file is not null)
        {
            return TraceCsvReader.Read(Path.GetFileNameWithoutExtension(file), await File.ReadAllTextAsync(file, ct).ConfigureAwait(false));
        }

        return name is null
            ? throw new ArgumentException("give --trace NAME or --trace-file FILE")
            : BuiltInTraces.Get(name) ?? throw new ArgumentException($"--trace: unknown trace '{name}'; known: {string.Join(", ", BuiltInTraces.Names)}");
    }

    private static IEnumerable<JsonObject> Documents(string yaml) => YamlDocuments.Parse(yaml).OfType<JsonObject>();

    private static string ToJson(SimulationReport report)
    {
        var root = new JsonObject
        {
            ["trace"] = report.Trace,
            ["policies"] = new JsonObject { ["recoperator"] = Result(report.RecOperator), ["hpa"] = Result(report.Hpa) },
            ["hpaVariant"] = report.Hpa.Policy,
        };
        return root.ToJsonString();
    }

    private static JsonObject Result(SimulationResult r) => new()
    {
        ["cost"] = r.Cost, ["violationMinutes"] = r.ViolationMinutes, ["recoverySeconds"] = r.RecoverySeconds, ["scaleEvents"] = r.ScaleEvents,
    };

    private static string ToTable(SimulationReport report)
    {
        var lines = new List<string> { $"trace: {report.Trace}", "| policy | cost | SLO-violation min | recovery s | scale events |", "|---|---:|---:|---:|---:|" };
        lines.AddRange(new[] { report.RecOperator }.Concat(report.AllHpa).Select(r => string.Format(
            CultureInfo.InvariantCulture, "| {0}{1} | {2:F2} | {3:F2} | {4:F0} | {5} |", r.Policy, r == report.Hpa ? " (baseline)" : string.Empty, r.Cost, r.ViolationMinutes, r.RecoverySeconds, r.ScaleEvents)));
        return string.Join(Environment.NewLine, lines);
    }
}
