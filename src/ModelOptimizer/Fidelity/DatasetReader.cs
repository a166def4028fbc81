using System.Globalization;
using System.Text.Json;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.Onnx;

namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>
/// Reads a verify dataset (JSON Lines, docs/optimizer.md "Dataset file"): one request per line,
/// <c>{"inputs": {"NAME": [flat values] | {"shape": [...], "data": [flat values]}, ...}, "labels": [0, 1, ...]}</c>.
/// The number of labels is the request's candidate count N; a flat array takes the model's shape with symbolic dims = N.
/// Every error names the file, the line and the field, and is a <see cref="ModelRejectedException"/> (exit 2).
/// </summary>
public static class DatasetReader
{
    public static Task<IReadOnlyList<LabeledRequest>> ReadAsync(string path, IReadOnlyList<InputSpec> specs, CancellationToken cancellationToken) =>
        ReadAsync(path, specs, "--dataset", cancellationToken);

    /// <param name="option">The flag that named the file (--dataset, --calibration-data), which starts every error.</param>
    public static async Task<IReadOnlyList<LabeledRequest>> ReadAsync(string path, IReadOnlyList<InputSpec> specs, string option, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (!File.Exists(path))
        {
            throw new ModelRejectedException($"{option}: file '{path}' does not exist");
        }
        var requests = new List<LabeledRequest>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                requests.Add(ParseLine(line, specs, $"{option} {Path.GetFileName(path)} line {number}"));
            }
        }
        return requests.Count > 0 ? requests : throw new ModelRejectedException($"{option} {Path.GetFileName(path)}: the file holds no requests");
    }

    /// <summary>One request; <paramref name="where"/> ("FILE line N") starts every error message.</summary>
    public static LabeledRequest ParseLine(string line, IReadOnlyList<InputSpec> specs, string where)
    {
        ArgumentNullException.ThrowIfNull(specs);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException error)
        {
            throw new ModelRejectedException($"{where}: not valid JSON ({error.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ModelRejectedException($"{where}: a line must be a JSON object with \"inputs\" and \"labels\"");
            }
            var labels = Labels(Property(root, "labels", JsonValueKind.Array, where), where);
            var inputsElement = Property(root, "inputs", JsonValueKind.Object, where);
            foreach (var given in inputsElement.EnumerateObject())
            {
                if (specs.All(s => s.Name != given.Name))
                {
                    throw new ModelRejectedException($"{where}: inputs.{given.Name} is not an input of the reference model (its inputs: {string.Join(", ", specs.Select(s => s.Name))})");
                }
            }
            var inputs = new Dictionary<string, (Array, long[])>(StringComparer.Ordinal);
            foreach (var spec in specs)
            {
                if (!inputsElement.TryGetProperty(spec.Name, out var value))
                {
                    throw new ModelRejectedException($"{where}: inputs.{spec.Name} is missing");
                }
                inputs[spec.Name] = Input(spec, value, labels.Length, $"{where}: inputs.{spec.Name}");
            }
            return new LabeledRequest(new SyntheticRequest(labels.Length, inputs), labels, where);
        }
    }

    private static JsonElement Property(JsonElement root, string name, JsonValueKind kind, string where) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new ModelRejectedException($"{where}: \"{name}\" must be a JSON {(kind == JsonValueKind.Array ? "array" : "object")}");

    private static bool[] Labels(JsonElement labels, string where)
    {
        var result = new bool[labels.GetArrayLength()];
        if (result.Length == 0)
        {
            throw new ModelRejectedException($"{where}: labels is empty; give one label (0 or 1) per candidate");
        }
        var i = 0;
        foreach (var label in labels.EnumerateArray())
        {
            result[i] = label.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when label.TryGetInt32(out var n) && n is 0 or 1 => n == 1,
                _ => throw new ModelRejectedException($"{where}: labels[{i}] must be 0, 1, true or false, got {label.GetRawText()}"),
            };
            i++;
        }
        return result;
    }

    private static (Array Values, long[] Shape) Input(InputSpec spec, JsonElement value, int candidates, string field)
    {
        var (data, shape) = value.ValueKind == JsonValueKind.Object
            ? (Property(value, "data", JsonValueKind.Array, field), GivenShape(Property(value, "shape", JsonValueKind.Array, field), spec, field))
            : value.ValueKind == JsonValueKind.Array
                ? (value, spec.Shape(candidates))
                : throw new ModelRejectedException($"{field} must be an array of values or an object with \"shape\" and \"data\"");
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (data.GetArrayLength() != count)
        {
            throw new ModelRejectedException($"{field}: shape [{string.Join(", ", shape)}] needs {count} values, got {data.GetArrayLength()}");
        }
        var isFloat = spec.ElementType is TensorElementType.Float or TensorElementType.Float16;
        Array values = isFloat ? new float[count] : new long[count];
        var i = 0;
        foreach (var element in data.EnumerateArray())
        {
            if (isFloat && element.ValueKind == JsonValueKind.Number && element.TryGetSingle(out var f) && float.IsFinite(f))
            {
                ((float[])values)[i] = f;
            }
            else if (!isFloat && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var id) && id >= 0)
            {
                ((long[])values)[i] = id;
            }
            else
            {
                throw new ModelRejectedException(string.Create(CultureInfo.InvariantCulture,
                    $"{field}[{i}] must be a {(isFloat ? "finite number" : "non-negative integer id")}, got {element.GetRawText()}"));
            }
            i++;
        }
        return (values, shape);
    }

    private static long[] GivenShape(JsonElement shape, InputSpec spec, string field)
    {
        var dims = shape.EnumerateArray().Select(d => d.TryGetInt64(out var v) && v >= 0 ? v : -1).ToArray();
        var fits = dims.Length == spec.Dims.Count && dims.Zip(spec.Dims).All(p => p.First >= 0 && (p.Second is null || p.Second == p.First));
        return fits
            ? dims
            : throw new ModelRejectedException(
                $"{field}.shape must be [{string.Join(", ", spec.Dims.Select(d => d?.ToString(CultureInfo.InvariantCulture) ?? "N"))}], got {shape.GetRawText()}");
    }
}
