using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Kube.Yaml;

namespace RecOperator.Packaging.Tests.ChartRendering;

/// <summary>
/// Renders the chart's templates the way <c>helm template</c> would for the subset they use (see
/// <see cref="TemplateParser"/>), with one difference on purpose: a reference to a value that values.yaml does not
/// have is an error, not an empty string, so a typo in a template fails the tests instead of rendering nothing.
/// </summary>
internal sealed class ChartRenderer
{
    private readonly string _chartDirectory;
    private readonly JsonObject _root;
    private readonly Dictionary<string, IReadOnlyList<TemplateNode>> _defines = new(StringComparer.Ordinal);

    public ChartRenderer(string chartDirectory, JsonNode values, string releaseName, string releaseNamespace)
    {
        _chartDirectory = chartDirectory;
        var chart = YamlDocuments.Parse(File.ReadAllText(Path.Combine(chartDirectory, "Chart.yaml")))[0];
        _root = new JsonObject
        {
            ["Values"] = values.DeepClone(),
            ["Release"] = new JsonObject { ["Name"] = releaseName, ["Namespace"] = releaseNamespace, ["Service"] = "Helm" },
            ["Chart"] = new JsonObject { ["Name"] = chart["name"]?.DeepClone(), ["Version"] = chart["version"]?.DeepClone(), ["AppVersion"] = chart["appVersion"]?.DeepClone() },
        };
        foreach (var helpers in Directory.GetFiles(Path.Combine(chartDirectory, "templates"), "_*.tpl"))
        {
            foreach (var (name, body) in TemplateParser.Parse(File.ReadAllText(helpers), Path.GetFileName(helpers)).Defines)
            {
                _defines[name] = body;
            }
        }
    }

    /// <summary>The rendered text of one file under templates/.</summary>
    public string Render(string templateFile)
    {
        var (nodes, _) = TemplateParser.Parse(File.ReadAllText(Path.Combine(_chartDirectory, "templates", templateFile)), templateFile);
        var output = new StringBuilder();
        Execute(nodes, _root, output, templateFile);
        return output.ToString();
    }

    /// <summary>Every manifest under templates/ rendered and parsed: the objects helm would apply.</summary>
    public IReadOnlyList<JsonNode> RenderObjects() =>
        Directory.GetFiles(Path.Combine(_chartDirectory, "templates"), "*.yaml")
            .Order(StringComparer.Ordinal)
            .SelectMany(f => YamlDocuments.Parse(Render(Path.GetFileName(f))))
            .ToList();

    private void Execute(IReadOnlyList<TemplateNode> nodes, JsonNode? dot, StringBuilder output, string file)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case ActionNode action:
                    output.Append(Print(Pipeline(action.Pipeline, dot, $"{file}:{action.Line}")));
                    break;
                case IfNode branch:
                    Execute(Truthy(Pipeline(branch.Condition, dot, $"{file}:{branch.Line}")) ? branch.Then : branch.Else, dot, output, file);
                    break;
            }
        }
    }

    private JsonNode? Pipeline(string pipeline, JsonNode? dot, string where)
    {
        JsonNode? value = null;
        var first = true;
        foreach (var command in SplitOutsideQuotes(pipeline, '|'))
        {
            var words = SplitOutsideQuotes(command, ' ').Where(w => w.Length > 0).ToList();
            var arguments = words.Skip(1).Select(w => Term(w, dot, where)).ToList();
            if (!first)
            {
                arguments.Add(value);
            }

            value = first && words.Count == 1 && words[0] != ".Files.Get" ? Term(words[0], dot, where) : Call(words[0], arguments, where);
            first = false;
        }

        return value;
    }

    private JsonNode? Call(string function, List<JsonNode?> arguments, string where) => (function, arguments.Count) switch
    {
        ("include", 2) => Include(Text(arguments[0]), arguments[1], where),
        (".Files.Get", 1) => File.ReadAllText(Path.Combine(_chartDirectory, Text(arguments[0]))),
        ("quote", 1) => JsonSerializer.Serialize(Print(arguments[0])),
        ("toYaml", 1) => YamlWriter.Write(arguments[0]).TrimEnd('\n'),
        ("nindent", 2) => "\n" + Indent(Print(arguments[1]), int.Parse(Print(arguments[0]), CultureInfo.InvariantCulture)),
        ("indent", 2) => Indent(Print(arguments[1]), int.Parse(Print(arguments[0]), CultureInfo.InvariantCulture)),
        ("eq", 2) => JsonNode.DeepEquals(arguments[0], arguments[1]),
        ("not", 1) => !Truthy(arguments[0]),
        _ => throw new TemplateException($"{where}: unsupported function '{function}' with {arguments.Count} arguments"),
    };

    private JsonNode? Include(string name, JsonNode? dot, string where)
    {
        var body = _defines.GetValueOrDefault(name) ?? throw new TemplateException($"{where}: no template named \"{name}\"");
        var output = new StringBuilder();
        Execute(body, dot, output, name);
        return output.ToString();
    }

    private static JsonNode? Term(string word, JsonNode? dot, string where)
    {
        if (word == ".")
        {
            return dot;
        }

        if (word.StartsWith('"'))
        {
            return TemplateParser.Unquote(word);
        }

        if (long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        if (!word.StartsWith('.'))
        {
            throw new TemplateException($"{where}: '{word}' is not a value, a string or a number");
        }

        var node = dot;
        foreach (var field in word[1..].Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(field, out var child)
                ? child
                : throw new TemplateException($"{where}: {word} does not exist (values.yaml has no '{field}' there)");
        }

        return node;
    }

    private static string Print(JsonNode? value) => value switch
    {
        null => "",
        JsonObject or JsonArray => throw new TemplateException($"a map or list printed without toYaml: {value.ToJsonString()}"),
        _ when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static string Text(JsonNode? value) => Print(value);

    private static bool Truthy(JsonNode? value) => value switch
    {
        null => false,
        JsonObject obj => obj.Count > 0,
        JsonArray array => array.Count > 0,
        _ => value.GetValueKind() switch
        {
            JsonValueKind.False => false,
            JsonValueKind.String => value.GetValue<string>().Length > 0,
            JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) != 0,
            _ => true,
        },
    };

    private static string Indent(string text, int spaces)
    {
        var pad = new string(' ', spaces);
        return string.Join('\n', text.Split('\n').Select(l => pad + l));
    }

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                quoted = !quoted;
            }

            if (c == separator && !quoted)
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        parts.Add(current.ToString().Trim());
        return parts;
    }
}
