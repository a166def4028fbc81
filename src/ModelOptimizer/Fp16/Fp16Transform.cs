using RecOperator.Crds.Models;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Fp16;

/// <summary>
/// fp16: every float weight and every float computation becomes float16 (for GPU variants). With
/// <paramref name="keepIoFp32"/> the model keeps float inputs and outputs and Casts at the edges, so clients do not
/// change; ops in <paramref name="blockedOps"/> (e.g. a numerically touchy reduction) run in float with Casts around them.
/// </summary>
public sealed class Fp16Transform(bool keepIoFp32, IReadOnlySet<string> blockedOps) : IModelTransform
{
    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Half = (int)TensorProto.Types.DataType.Float16;

    public string Name => "fp16";

    public Precision Precision => Precision.Fp16;

    public TransformResult Apply(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var types = ElementTypes.Infer(graph);
        var known = graph.Node.Select(n => n.OpType).ToHashSet(StringComparer.Ordinal);
        if (blockedOps.FirstOrDefault(op => !known.Contains(op)) is { } unknown)
        {
            throw new ModelRejectedException($"--block-ops: the model has no '{unknown}' node (its ops: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
        }
        var converted = ConvertInitializers(graph);
        var nodes = new List<NodeProto>();
        foreach (var input in graph.Input.Where(i => types[i.Name] == Float && graph.Initializer.All(t => t.Name != i.Name)))
        {
            if (keepIoFp32)
            {
                nodes.Add(Nodes.Create("Cast", [input.Name], $"{input.Name}.fp16", CastTo(Half)));
                Rename(graph.Node, input.Name, $"{input.Name}.fp16");
            }
            else
            {
                input.Type.TensorType.ElemType = Half;
            }
        }
        var blocked = 0;
        foreach (var node in graph.Node)
        {
            if (node.OpType == "Cast" && NodeAttributes.Int(node, "to", 0) == Float)
            {
                node.Attribute.Single(a => a.Name == "to").I = Half;
            }
            if (node.OpType == "Constant" && node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { DataType: Float } constant)
            {
                node.Attribute.Single(a => a.Name == "value").T = ToHalf(constant);
            }
            if (!blockedOps.Contains(node.OpType))
            {
                nodes.Add(node);
                continue;
            }
            blocked++;
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i].Length > 0 && types.GetValueOrDefault(node.Input[i]) == Float)
                {
                    var fp32 = $"{node.Input[i]}.fp32_for_{node.Output[0]}";
                    nodes.Add(Nodes.Create("Cast", [node.Input[i]], fp32, CastTo(Float)));
                    node.Input[i] = fp32;
                }
            }
            nodes.Add(node);
            for (var o = 0; o < node.Output.Count; o++)
            {
                if (types.GetValueOrDefault(node.Output[o]) == Float)
                {
                    var original = node.Output[o];
                    node.Output[o] = $"{original}.fp32";
                    nodes.Add(Nodes.Create("Cast", [node.Output[o]], original, CastTo(Half)));
                }
            }
        }
        foreach (var output in graph.Output.Where(o => types.GetValueOrDefault(o.Name) == Float))
        {
            if (keepIoFp32)
            {
                Rename(nodes, output.Name, $"{output.Name}.fp16", outputsToo: true);
                nodes.Add(Nodes.Create("Cast", [$"{output.Name}.fp16"], output.Name, CastTo(Float)));
            }
            else
            {
                output.Type.TensorType.ElemType = Half;
            }
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        // Stale float value-info would contradict the new types; ONNX Runtime infers shapes itself.
        graph.ValueInfo.Clear();
        return new TransformResult(model, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["convertedInitializers"] = converted.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["io"] = keepIoFp32 ? "float32 (Casts at the edges)" : "float16",
            ["blockedNodes"] = blocked.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private static int ConvertInitializers(GraphProto graph)
    {
        var floats = graph.Initializer.Where(t => t.DataType == Float).ToList();
        foreach (var tensor in floats)
        {
            graph.Initializer[graph.Initializer.IndexOf(tensor)] = ToHalf(tensor);
        }
        return floats.Count;
    }

    private static TensorProto ToHalf(TensorProto tensor)
    {
        var values = OnnxTensors.Read<float>(tensor).Select(v => (System.Half)v).ToArray();
        return OnnxTensors.Create(tensor.Name, values.AsSpan(), [.. tensor.Dims]);
    }

    private static void Rename(IEnumerable<NodeProto> nodes, string from, string to, bool outputsToo = false)
    {
        foreach (var node in nodes)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                node.Input[i] = node.Input[i] == from ? to : node.Input[i];
            }
            for (var o = 0; outputsToo && o < node.Output.Count; o++)
            {
                node.Output[o] = node.Output[o] == from ? to : node.Output[o];
            }
        }
    }

    private static AttributeProto CastTo(int type) => OnnxAttributes.Int("to", type);
}
