using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecOperator.Operator.Simulation;

/// <summary>
/// Measured p99-versus-load points per variant (<c>recop sim --calibration FILE</c>), the JSON that
/// <c>recop optimize profile --load-test --latency-points FILE</c> writes for one variant, gathered under its name:
/// <code>{"source": "...", "variants": {"cpu-int8": {"measured": "...", "profile": {"qpsPerReplica": 8635},
///   "points": [{"offeredQps": 5340, "servedQps": 5338, "p99Ms": 9.1, "failed": 0}, ...]}}}</code>
/// Each variant's points are fitted when read, so a file that cannot give a curve is refused up front.
/// </summary>
public sealed record LatencyCalibration(string File, string Source, IReadOnlyDictionary<string, MeasuredLatency> Variants)
{
    public static LatencyCalibration Read(string file, string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException($"{file}: must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{file}: not valid JSON: {e.Message}", e);
        }

        var variants = root["variants"] as JsonObject ?? throw new FormatException($"{file}: variants must be an object of variant name -> measured points");
        var measured = new Dictionary<string, MeasuredLatency>(StringComparer.Ordinal);
        foreach (var (name, node) in variants)
        {
            measured[name] = Variant(file, $"variants.{name}", node as JsonObject ?? throw new FormatException($"{file}: variants.{name} must be an object"));
        }

        return new LatencyCalibration(file, Text(root["source"]) ?? string.Empty, measured);
    }

    /// <summary>A name the model does not have is most likely a typo that would silently leave a variant guessed.</summary>
    public void CheckVariants(IReadOnlyCollection<string> modelVariants)
    {
        ArgumentNullException.ThrowIfNull(modelVariants);
        foreach (var name in Variants.Keys.Where(n => !modelVariants.Contains(n)))
        {
            throw new FormatException($"{File}: variants.{name}: the RecModel has no such variant (it has {string.Join(", ", modelVariants)})");
        }
    }

    /// <summary>One variant's entry, as <c>optimize profile --load-test --latency-points</c> writes it.</summary>
    public static JsonObject VariantJson(string measured, double profileQps, double profileP99Ms, IEnumerable<LatencyPoint> points) => new()
    {
        ["measured"] = measured,
        ["profile"] = new JsonObject { ["qpsPerReplica"] = profileQps, ["p99LatencyMs"] = profileP99Ms },
        ["points"] = new JsonArray(points.Select(p => new JsonObject
        {
            ["offeredQps"] = Math.Round(p.OfferedQps, 1), ["servedQps"] = Math.Round(p.ServedQps, 1), ["p99Ms"] = Math.Round(p.P99Ms, 3), ["failed"] = p.Failed,
        }).ToArray<JsonNode?>()),
    };

    private static MeasuredLatency Variant(string file, string path, JsonObject entry)
    {
        var profileQps = Number(file, $"{path}.profile.qpsPerReplica", entry["profile"]?["qpsPerReplica"]);
        if (profileQps == 0)
        {
            throw new FormatException($"{file}: {path}.profile.qpsPerReplica must be positive: the shape is read at the profile the load test found");
        }

        var array = entry["points"] as JsonArray ?? throw new FormatException($"{file}: {path}.points must be an array of load-test points");
        var points = array.Select((p, i) => new LatencyPoint(
            Number(file, $"{path}.points[{i}].offeredQps", p?["offeredQps"]),
            Number(file, $"{path}.points[{i}].servedQps", p?["servedQps"]),
            Number(file, $"{path}.points[{i}].p99Ms", p?["p99Ms"]),
            p?["failed"] is { } failed ? (int)Number(file, $"{path}.points[{i}].failed", failed) : 0)).ToList();
        try
        {
            return new MeasuredLatency(Text(entry["measured"]) ?? path, profileQps, points, LatencyCurveFit.Fit(points));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{file}: {path}.points: {e.Message}", e);
        }
    }

    private static double Number(string file, string path, JsonNode? node)
    {
        if (node is JsonValue value && value.TryGetValue<double>(out var number) && double.IsFinite(number) && number >= 0)
        {
            return number;
        }

        throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{file}: {path} must be a non-negative number, got {node?.ToJsonString() ?? "nothing"}"));
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
