namespace RecOperator.DevCluster.Validation.Cel;

/// <summary>The syntax tree of the CEL subset used by CRD validation rules.</summary>
internal abstract record CelNode
{
    internal sealed record Literal(object? Value) : CelNode;

    internal sealed record Identifier(string Name) : CelNode;

    internal sealed record Member(CelNode Target, string Name) : CelNode;

    internal sealed record Index(CelNode Target, CelNode Key) : CelNode;

    /// <summary>A function (`size(x)`, `has(x.y)`) or method call (`x.startsWith('a')`, `xs.all(x, p)`).</summary>
    internal sealed record Call(CelNode? Target, string Function, IReadOnlyList<CelNode> Arguments) : CelNode;

    internal sealed record Unary(string Operator, CelNode Operand) : CelNode;

    internal sealed record Binary(string Operator, CelNode Left, CelNode Right) : CelNode;

    internal sealed record Conditional(CelNode Condition, CelNode Then, CelNode Else) : CelNode;

    internal sealed record ListLiteral(IReadOnlyList<CelNode> Items) : CelNode;
}
