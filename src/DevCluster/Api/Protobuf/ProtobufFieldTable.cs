using System.Globalization;

namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>
/// The protobuf field numbers of the built-in kinds DevCluster decodes from protobuf (the embedded
/// protobuf-field-numbers.txt, whose header says what the columns mean). Names and types are not here: they come from
/// the OpenAPI document, which lacks only the numbers.
/// </summary>
internal sealed class ProtobufFieldTable
{
    private const string ResourceName = "RecOperator.DevCluster.protobuf-field-numbers.txt";
    private static readonly Lazy<ProtobufFieldTable> Shared = new(() => Parse(ReadResource()));

    private readonly Dictionary<string, ProtobufMessageLayout> _layouts = new(StringComparer.Ordinal);

    private ProtobufFieldTable(IReadOnlyList<ProtobufFieldRow> rows)
    {
        Rows = rows;
        foreach (var row in rows)
        {
            if (!_layouts.TryGetValue(row.Definition, out var layout))
            {
                layout = new ProtobufMessageLayout(row.Definition);
                _layouts[row.Definition] = layout;
            }
            layout.Add(row, 0);
        }
    }

    public static ProtobufFieldTable Instance => Shared.Value;

    public IReadOnlyList<ProtobufFieldRow> Rows { get; }

    /// <summary>The layout of a definition's message; null for one the table does not cover.</summary>
    public ProtobufMessageLayout? LayoutOf(string? definition) => definition is null ? null : _layouts.GetValueOrDefault(definition);

    /// <summary>Reads the table's text; a line that does not parse is a <see cref="FormatException"/> naming it.</summary>
    public static ProtobufFieldTable Parse(string text)
    {
        var rows = new List<ProtobufFieldRow>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            var content = line.Trim();
            if (content.Length == 0 || content.StartsWith('#'))
            {
                continue;
            }
            var columns = content.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length is < 3 or > 4 || (columns.Length == 4 && columns[3] != "pointer"))
            {
                throw new FormatException($"line {lineNumber}: expected DEFINITION PROPERTY NUMBER [pointer], not \"{content}\"");
            }
            var path = columns[2].Split('.').Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
                ? number
                : throw new FormatException($"line {lineNumber}: \"{columns[2]}\" is not a field number")).ToArray();
            rows.Add(new ProtobufFieldRow(columns[0], columns[1], path, columns.Length == 4));
        }
        return new ProtobufFieldTable(rows);
    }

    private static string ReadResource()
    {
        using var stream = typeof(ProtobufFieldTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded {ResourceName} resource is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
