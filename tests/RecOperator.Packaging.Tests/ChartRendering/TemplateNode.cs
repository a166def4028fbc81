namespace RecOperator.Packaging.Tests.ChartRendering;

/// <summary>A piece of a parsed chart template: literal text, an action that prints, or an if/else block.</summary>
internal abstract record TemplateNode(int Line);

internal sealed record TextNode(int Line, string Text) : TemplateNode(Line);

internal sealed record ActionNode(int Line, string Pipeline) : TemplateNode(Line);

internal sealed record IfNode(int Line, string Condition, IReadOnlyList<TemplateNode> Then, IReadOnlyList<TemplateNode> Else) : TemplateNode(Line);
