using System.Globalization;
using RecOperator.Onnx.Proto;

namespace RecOperator.Onnx.Model;

/// <summary>
/// Builds an ONNX graph node by node. <see cref="Node"/> names each result after its operator and a counter, so model
/// code reads as a chain of operations; <see cref="Build"/> wraps the graph in a model with IR version and opset.
/// </summary>
public sealed class OnnxGraphBuilder(string graphName)
{
    /// <summary>IR version and default-domain opset the project writes: the newest that Debian's onnx 1.12 checker and ORT 1.30 both accept.</summary>
    public const long IrVersion = 8;
    public const long OpsetVersion = 17;

    private readonly GraphProto _graph = new() { Name = graphName };
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    public OnnxGraphBuilder Input(string name, TensorElementType type, params Dim[] dims)
    {
        _graph.Input.Add(OnnxTensors.ValueInfo(name, type, dims));
        return this;
    }

    public OnnxGraphBuilder Output(string name, TensorElementType type, params Dim[] dims)
    {
        _graph.Output.Add(OnnxTensors.ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>Adds a constant tensor and returns its name.</summary>
    public string Initializer<T>(string name, ReadOnlySpan<T> values, params long[] dims) where T : unmanaged
    {
        _graph.Initializer.Add(OnnxTensors.Create(name, values, dims));
        return name;
    }

    /// <summary>Adds one node with one output and returns that output's name.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        NodeNamed(opType, $"{opType.ToLowerInvariant()}_{Next(opType).ToString(CultureInfo.InvariantCulture)}", inputs, attributes);

    /// <summary>Adds one node whose single output gets <paramref name="output"/> as its name (e.g. a graph output).</summary>
    public string NodeNamed(string opType, string output, IReadOnlyList<string> inputs, params AttributeProto[] attributes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var node = new NodeProto { OpType = opType, Name = $"{output}_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public ModelProto Build(string producer, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producer,
            ProducerVersion = "1",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return model;
    }

    private int Next(string opType)
    {
        _counters.TryGetValue(opType, out var n);
        _counters[opType] = n + 1;
        return n;
    }
}
