using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Crds.Validation;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Simulation;

namespace RecOperator.Cli.Commands;

/// <summary><c>recop sim --trace NAME</c>: runs our autoscaler and HPA baselines on a trace and compares them.</summary>
internal static class SimCommand
{
    /// <summary>The committed load-test calibration of the sample fleet's variants (bench/results, see bench/README.md).</summary>
    internal const string DefaultCalibration = "bench/results/latency-calibration.json";

    public static Command Create()
    {
        var trace = new Option<string?>("--trace") { Description = $"Built-in trace: {string.Join(", ", BuiltInTraces.Names)}" };
        var traceFile = new Option<string?>("--trace-file") { Description = "CSV trace: time_s,qps[,event] with events pool-down:NAME / pool-up:NAME" };
        var model = new Option<string>("--model") { Description = "RecModel manifest", DefaultValueFactory = _ => "manifests/samples/recmodel-ranking.yaml" };
        var pools = new Option<string>("--pools") { Description = "NodePool manifests (multi-document YAML)", DefaultValueFactory = _ => "manifests/samples/nodepools.yaml" };
        var seed = new Option<int>("--seed") { Description = "Random seed for arrivals", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var calibration = new Option<string?>("--calibration")
        {
            Description = $"Measured p99-vs-load points per variant (JSON, see docs/autoscaler.md); default {DefaultCalibration} when it exists, 'none' for the guessed curves",
        };
        var command = new Command("sim", "Simulate the fleet under a trace with RecOperator's autoscaler and HPA baselines: cost, SLO-violation minutes, recovery time, scale events")
        {
            trace, traceFile, model, pools, seed, json, calibration,
        };
        command.SetAction(async (parse, ct) => await RunAsync(
            new SimArguments(parse.GetValue(trace), parse.GetValue(traceFile), parse.GetValue(model)!, parse.GetValue(pools)!, parse.GetValue(seed), parse.GetValue(json), parse.GetValue(calibration)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct).ConfigureAwait(false));
        return command;
    }

    internal static async Task<int> RunAsync(SimArguments args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        try
        {
            var trace = await LoadTraceAsync(args.TraceName, args.TraceFile, ct).ConfigureAwait(false);
            var recModels = Documents(await File.ReadAllTextAsync(args.ModelFile, ct).ConfigureAwait(false))
                .Where(d => d["kind"]?.GetValue<string>() == RecModel.KindName).ToList();
            if (recModels.Count != 1)
            {
                throw new UsageException($"--model {args.ModelFile}: expected one RecModel document, found {recModels.Count}");
            }
            RequireValid("--model", args.ModelFile, recModels[0]);
            var model = CrdsSerializer.ReadRecModel(recModels[0]);
            var poolDocuments = Documents(await File.ReadAllTextAsync(args.PoolsFile, ct).ConfigureAwait(false))
                .Where(d => d["kind"]?.GetValue<string>() == NodePool.KindName).ToList();
            poolDocuments.ForEach(d => RequireValid("--pools", args.PoolsFile, d));
            var nodePools = poolDocuments.Select(CrdsSerializer.ReadNodePool).ToList();
            // A pool event for a pool the fleet does not have would silently do nothing: name it instead.
            if (trace.Events.FirstOrDefault(e => nodePools.All(p => p.Metadata?.Name != e.Pool)) is { } stray)
            {
                var source = args.TraceFile is null ? $"--trace {args.TraceName}" : $"--trace-file {args.TraceFile}";
                throw new UsageException($"{source}: event at {stray.TimeSeconds.ToString(CultureInfo.InvariantCulture)} s names pool '{stray.Pool}', which is not in --pools {args.PoolsFile} (pools: {string.Join(", ", nodePools.Select(p => p.Metadata?.Name))})");
            }
            LatencyCalibration? calibration;
            try
            {
                calibration = await SimCalibrationFile.LoadAsync(args.CalibrationFile, DefaultCalibration, model, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                // A calibration file that cannot be used is a usage error: it names the file and the field.
                await error.WriteLineAsync($"sim: --calibration {e.Message}").ConfigureAwait(false);
                return 2;
            }

            var fleet = SimFleet.FromManifests(model, nodePools, calibration);
            var report = SimulationRunner.Run(fleet, trace, args.Seed);
            await output.WriteLineAsync(args.Json ? ToJson(report, fleet) : ToTable(report, fleet)).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is UsageException or FormatException)
        {
            // Bad options and unusable trace files are usage errors (exit 2), like a bad --calibration file.
            await error.WriteLineAsync($"sim: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or JsonException)
        {
            await error.WriteLineAsync($"sim: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task<Trace> LoadTraceAsync(string? name, string? file, CancellationToken ct)
    {
        if (file is not null && name is not null)
        {
            throw new UsageException("--trace and --trace-file both give the trace; use one");
        }
        if (file is not null)
        {
            return TraceCsvReader.Read(Path.GetFileNameWithoutExtension(file), await File.ReadAllTextAsync(file, ct).ConfigureAwait(false));
        }

        return name is null
            ? throw new UsageException("give --trace NAME or --trace-file FILE")
            : BuiltInTraces.Get(name) ?? throw new UsageException($"--trace: unknown trace '{name}'; known: {string.Join(", ", BuiltInTraces.Names)}");
    }

    /// <summary>
    /// The manifests go through the validator the API server's admission uses: a spec the cluster would refuse (min above
    /// max, a zero SLO, a negative price) must not run and print figures as if it were a fleet.
    /// </summary>
    private static void RequireValid(string option, string file, JsonObject document)
    {
        if (ResourceValidator.Validate(document) is { Count: > 0 } errors)
        {
            var name = (document["metadata"] as JsonObject)?["name"]?.ToString() ?? "(no name)";
            throw new UsageException($"{option} {file}: {document["kind"]} {name} is invalid (`recop validate` lists the same): {string.Join("; ", errors)}");
        }
    }

    private static IEnumerable<JsonObject> Documents(string yaml) => YamlDocuments.Parse(yaml).OfType<JsonObject>();

    private static string ToJson(SimulationReport report, SimFleet fleet)
    {
        var root = new JsonObject
        {
            ["trace"] = report.Trace,
            ["policies"] = new JsonObject { ["recoperator"] = Result(report.RecOperator), ["hpa"] = Result(report.Hpa) },
            ["hpaVariant"] = report.Hpa.Policy,
            ["curves"] = new JsonObject(fleet.Variants.Select(v => KeyValuePair.Create(v.Name, (JsonNode?)Curve(v)))),
        };
        return root.ToJsonString();
    }

    private static JsonObject Curve(SimVariant v) => new()
    {
        ["source"] = v.CurveSource.StartsWith("measured", StringComparison.Ordinal) ? "measured" : "guessed",
        ["detail"] = v.CurveSource,
        ["saturationQps"] = Math.Round(v.Curve.SaturationQps, 1),
        ["baseP99Ms"] = Math.Round(v.Curve.BaseP99Ms, 3),
        ["queueFactorMs"] = Math.Round(v.Curve.QueueFactorMs, 3),
        ["profileUtilisation"] = Math.Round(v.ProfileQps / v.Curve.SaturationQps, 3),
    };

    private static JsonObject Result(SimulationResult r) => new()
    {
        ["cost"] = r.Cost, ["violationMinutes"] = r.ViolationMinutes, ["recoverySeconds"] = r.RecoverySeconds, ["scaleEvents"] = r.ScaleEvents, ["reversals"] = r.Reversals,
    };

    private static string ToTable(SimulationReport report, SimFleet fleet)
    {
        var lines = new List<string> { $"trace: {report.Trace}", "| policy | cost | SLO-violation min | recovery s | scale events | reversals |", "|---|---:|---:|---:|---:|---:|" };
        lines.AddRange(new[] { report.RecOperator }.Concat(report.AllHpa).Select(r => string.Format(
            CultureInfo.InvariantCulture, "| {0}{1} | {2:F2} | {3:F2} | {4:F0} | {5} | {6} |", r.Policy, r == report.Hpa ? " (baseline)" : string.Empty, r.Cost, r.ViolationMinutes, r.RecoverySeconds, r.ScaleEvents, r.Reversals)));
        lines.Add("latency curves:");
        lines.AddRange(fleet.Variants.Select(v => string.Format(CultureInfo.InvariantCulture,
            "- {0}: saturation {1:F0} QPS, base p99 {2:F2} ms, queue factor {3:F2} ms; {4}", v.Name, v.Curve.SaturationQps, v.Curve.BaseP99Ms, v.Curve.QueueFactorMs, v.CurveSource)));
        return string.Join(Environment.NewLine, lines);
    }
}
