namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>The wire layout of one definition's message (or of a struct it embeds): the entry for each field number.</summary>
internal sealed class ProtobufMessageLayout(string name)
{
    private readonly Dictionary<int, ProtobufFieldEntry> _fields = [];

    /// <summary>The definition, or "DEFINITION field N" for an embedded struct; errors name it.</summary>
    public string Name { get; } = name;

    public ProtobufFieldEntry? Find(int number) => _fields.GetValueOrDefault(number);

    /// <summary>Places <paramref name="row"/> at its path from <paramref name="depth"/> on, creating embedded layouts on the way.</summary>
    internal void Add(ProtobufFieldRow row, int depth)
    {
        var number = row.Path[depth];
        var existing = _fields.GetValueOrDefault(number);
        if (depth == row.Path.Count - 1)
        {
            if (existing is not null)
            {
                throw new FormatException($"{row.Definition} {row.Property}: field {number} of {Name} is listed twice");
            }
            _fields[number] = new ProtobufFieldEntry(row.Property, row.Pointer, null);
            return;
        }
        if (existing is { Embedded: null })
        {
            throw new FormatException($"{row.Definition} {row.Property}: field {number} of {Name} is both a property and an embedded struct");
        }
        if (existing is null)
        {
            existing = new ProtobufFieldEntry(null, false, new ProtobufMessageLayout($"{Name} field {number}"));
            _fields[number] = existing;
        }
        existing.Embedded!.Add(row, depth + 1);
    }
}
