using System.Text.RegularExpressions;

namespace RecOperator.Packaging.Tests.ChartRendering;

/// <summary>
/// Parses the Go-template subset the chart is written in: {{ pipeline }}, if/else/end, define/end and comments,
/// with the trim markers <c>{{-</c> and <c>-}}</c>. Anything else (range, with, variables) is refused, so the chart
/// cannot drift into constructs these tests do not render.
/// </summary>
internal static partial class TemplateParser
{
    /// <summary>The top-level nodes and the named templates the text defines.</summary>
    public static (IReadOnlyList<TemplateNode> Nodes, IReadOnlyDictionary<string, IReadOnlyList<TemplateNode>> Defines) Parse(string text, string file)
    {
        var defines = new Dictionary<string, IReadOnlyList<TemplateNode>>(StringComparer.Ordinal);
        // Each open block: its kind, its argument, the line it starts on, and the nodes of its current branch.
        var stack = new Stack<(string Kind, string Argument, int Line, List<TemplateNode> Then, List<TemplateNode>? Else)>();
        stack.Push(("root", "", 0, [], null));
        foreach (var (line, isAction, content) in Tokens(text))
        {
            var top = stack.Peek();
            var branch = top.Else ?? top.Then;
            if (!isAction)
            {
                branch.Add(new TextNode(line, content));
                continue;
            }

            var (keyword, argument) = Split(content);
            switch (keyword)
            {
                case "if" or "define":
                    stack.Push((keyword, argument, line, [], null));
                    break;
                case "else" when top.Kind == "if" && top.Else is null && argument.Length == 0:
                    stack.Pop();
                    stack.Push(top with { Else = [] });
                    break;
                case "end" when stack.Count > 1:
                    stack.Pop();
                    if (top.Kind == "if")
                    {
                        (stack.Peek().Else ?? stack.Peek().Then).Add(new IfNode(top.Line, top.Argument, top.Then, top.Else ?? []));
                    }
                    else
                    {
                        defines[Unquote(top.Argument)] = top.Then;
                    }

                    break;
                case "range" or "with" or "else" or "end" or "template" or "block":
                    throw new TemplateException($"{file}:{line}: '{keyword}' is outside the supported subset or misplaced");
                default:
                    if (content.Contains('$', StringComparison.Ordinal) || content.Contains('(', StringComparison.Ordinal))
                    {
                        throw new TemplateException($"{file}:{line}: variables and parentheses are outside the supported subset: {content}");
                    }

                    branch.Add(new ActionNode(line, content));
                    break;
            }
        }

        if (stack.Count != 1)
        {
            throw new TemplateException($"{file}:{stack.Peek().Line}: '{stack.Peek().Kind}' has no end");
        }

        return (stack.Pop().Then, defines);
    }

    internal static string Unquote(string literal) =>
        literal.Length >= 2 && literal[0] == '"' && literal[^1] == '"'
            ? System.Text.Json.JsonSerializer.Deserialize<string>(literal)!
            : throw new TemplateException($"expected a quoted string, got {literal}");

    private static (string Keyword, string Argument) Split(string content)
    {
        var space = content.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (content, "") : (content[..space], content[(space + 1)..].Trim());
    }

    // Text and actions in order, with the trim markers applied to the neighbouring text; comments dropped.
    private static IEnumerable<(int Line, bool IsAction, string Content)> Tokens(string text)
    {
        var pieces = new List<(int Line, bool IsAction, string Content)>();
        var position = 0;
        var trimNext = false;
        foreach (Match match in Action().Matches(text))
        {
            var before = text[position..match.Index];
            if (trimNext)
            {
                before = before.TrimStart();
            }

            if (match.Groups[1].Success)
            {
                before = before.TrimEnd();
            }

            var line = text.AsSpan(0, match.Index).Count('\n') + 1;
            pieces.Add((line, false, before));
            var content = match.Groups[2].Value.Trim();
            if (!content.StartsWith("/*", StringComparison.Ordinal))
            {
                pieces.Add((line, true, content));
            }

            trimNext = match.Groups[3].Success;
            position = match.Index + match.Length;
        }

        var rest = text[position..];
        pieces.Add((text.Count(c => c == '\n') + 1, false, trimNext ? rest.TrimStart() : rest));
        return pieces.Where(p => p.IsAction || p.Content.Length > 0);
    }

    [GeneratedRegex(@"\{\{(-\s)?(.*?)(\s-)?\}\}", RegexOptions.Singleline)]
    private static partial Regex Action();
}
