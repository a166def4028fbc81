using System.Text;

namespace RecOperator.DevCluster.Tests.Support;

/// <summary>
/// Builds protobuf bytes by hand for the decoder tests, one field per call, laid out as go-to-protobuf writes them;
/// <see cref="Key"/> and <see cref="Raw"/> write anything at all, for the malformed cases.
/// </summary>
public sealed class ProtoWriter
{
    private readonly List<byte> _bytes = [];

    /// <summary>A whole request body: the `k8s\0` magic and the runtime.Unknown envelope around <paramref name="obj"/>.</summary>
    public static byte[] Envelope(string apiVersion, string kind, ProtoWriter obj) =>
    [
        .. "k8s\0"u8.ToArray(),
        .. new ProtoWriter().Message(1, t => t.String(1, apiVersion).String(2, kind)).Message(2, obj).String(3, "").String(4, "").ToArray(),
    ];

    public ProtoWriter Key(int field, int wireType)
    {
        WriteVarint(((ulong)field << 3) | (uint)wireType);
        return this;
    }

    public ProtoWriter Varint(int field, long value)
    {
        Key(field, 0);
        WriteVarint((ulong)value);
        return this;
    }

    public ProtoWriter Bool(int field, bool value) => Varint(field, value ? 1 : 0);

    public ProtoWriter Fixed64(int field, double value)
    {
        Key(field, 1);
        _bytes.AddRange(BitConverter.GetBytes(value));
        return this;
    }

    public ProtoWriter Bytes(int field, byte[] value)
    {
        Key(field, 2);
        WriteVarint((ulong)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter Message(int field, Action<ProtoWriter> build)
    {
        var message = new ProtoWriter();
        build(message);
        return Message(field, message);
    }

    /// <summary>One entry of a map&lt;string, string&gt;: a message {key=1, value=2}.</summary>
    public ProtoWriter Entry(int field, string key, string value) => Message(field, e => e.String(1, key).String(2, value));

    /// <summary>Varints back to back in one length-delimited field: a packed repeated number.</summary>
    public ProtoWriter Packed(int field, params long[] values)
    {
        var packed = new ProtoWriter();
        foreach (var value in values)
        {
            packed.WriteVarint((ulong)value);
        }
        return Bytes(field, packed.ToArray());
    }

    public ProtoWriter Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        _bytes.Add((byte)value);
    }
}
