using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Graph;

/// <summary>Reads node attributes with the defaults the ONNX operator specification gives them.</summary>
internal static class NodeAttributes
{
    public static long Int(NodeProto node, string name, long defaultValue) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : defaultValue;

    public static float Float(NodeProto node, string name, float defaultValue) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : defaultValue;

    /// <summary>"Gemm node 'top.0_node' (output 'gemm_3')": how every error message names a node.</summary>
    public static string Describe(NodeProto node) =>
        $"{node.OpType} node '{(node.Name.Length > 0 ? node.Name : "(unnamed)")}' (output '{node.Output.FirstOrDefault()}')";
}
