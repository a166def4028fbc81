using System.Globalization;
using System.Text;

namespace RecOperator.DevCluster.Validation.Cel;

/// <summary>
/// A recursive-descent parser for the CEL subset: literals, `self`, member and index access, calls,
/// `! - * / % + - < <= > >= == != in && || ?:`, list literals. Throws <see cref="FormatException"/> otherwise.
/// </summary>
internal sealed class CelParser
{
    private static readonly string[] Symbols = ["&&", "||", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "!", "?", ":", ".", ",", "(", ")", "[", "]"];
    private readonly List<(string Kind, string Text)> _tokens;
    private int _at;

    private CelParser(List<(string, string)> tokens) => _tokens = tokens;

    public static CelNode Parse(string expression)
    {
        var parser = new CelParser(Tokenize(expression));
        var node = parser.Conditional();
        if (parser._at != parser._tokens.Count)
        {
            throw new FormatException($"unexpected '{parser._tokens[parser._at].Text}'");
        }
        return node;
    }

    private CelNode Conditional()
    {
        var condition = Or();
        if (!Accept("?"))
        {
            return condition;
        }
        var then = Conditional();
        Expect(":");
        return new CelNode.Conditional(condition, then, Conditional());
    }

    private CelNode Or() => LeftAssociative(And, "||");

    private CelNode And() => LeftAssociative(Relation, "&&");

    private CelNode Relation() => LeftAssociative(Addition, "==", "!=", "<=", ">=", "<", ">", "in");

    private CelNode Addition() => LeftAssociative(Multiplication, "+", "-");

    private CelNode Multiplication() => LeftAssociative(UnaryOperator, "*", "/", "%");

    private CelNode LeftAssociative(Func<CelNode> next, params string[] operators)
    {
        var left = next();
        while (_at < _tokens.Count && operators.Contains(_tokens[_at].Text) && _tokens[_at].Kind != "string")
        {
            var op = _tokens[_at++].Text;
            left = new CelNode.Binary(op, left, next());
        }
        return left;
    }

    private CelNode UnaryOperator() =>
        Accept("!") ? new CelNode.Unary("!", UnaryOperator()) : Accept("-") ? new CelNode.Unary("-", UnaryOperator()) : Postfix();

    private CelNode Postfix()
    {
        var node = Primary();
        while (true)
        {
            if (Accept("."))
            {
                var name = Next("ident");
                node = Accept("(") ? new CelNode.Call(node, name, Arguments()) : new CelNode.Member(node, name);
            }
            else if (Accept("["))
            {
                node = new CelNode.Index(node, Conditional());
                Expect("]");
            }
            else
            {
                return node;
            }
        }
    }

    private CelNode Primary()
    {
        if (_at >= _tokens.Count)
        {
            throw new FormatException("unexpected end of expression");
        }
        var (kind, text) = _tokens[_at++];
        switch (kind)
        {
            case "string":
                return new CelNode.Literal(text);
            case "int":
                return new CelNode.Literal(long.Parse(text, CultureInfo.InvariantCulture));
            case "double":
                return new CelNode.Literal(double.Parse(text, CultureInfo.InvariantCulture));
            case "ident" when text is "true" or "false":
                return new CelNode.Literal(text == "true");
            case "ident" when text == "null":
                return new CelNode.Literal(null);
            case "ident":
                return Accept("(") ? new CelNode.Call(null, text, Arguments()) : new CelNode.Identifier(text);
            case "symbol" when text == "(":
                var inner = Conditional();
                Expect(")");
                return inner;
            case "symbol" when text == "[":
                var items = new List<CelNode>();
                while (!Accept("]"))
                {
                    items.Add(Conditional());
                    Accept(",");
                }
                return new CelNode.ListLiteral(items);
            default:
                throw new FormatException($"unexpected '{text}'");
        }
    }

    private List<CelNode> Arguments()
    {
        var arguments = new List<CelNode>();
        while (!Accept(")"))
        {
            arguments.Add(Conditional());
            Accept(",");
        }
        return arguments;
    }

    private bool Accept(string symbol)
    {
        if (_at < _tokens.Count && _tokens[_at].Kind != "string" && _tokens[_at].Text == symbol)
        {
            _at++;
            return true;
        }
        return false;
    }

    private void Expect(string symbol)
    {
        if (!Accept(symbol))
        {
            throw new FormatException($"expected '{symbol}'");
        }
    }

    private string Next(string kind) =>
        _at < _tokens.Count && _tokens[_at].Kind == kind ? _tokens[_at++].Text : throw new FormatException($"expected {kind}");

    private static List<(string, string)> Tokenize(string text)
    {
        var tokens = new List<(string, string)>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '"' or '\'')
            {
                var value = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != c)
                {
                    value.Append(text[i] == '\\' && i + 1 < text.Length ? text[++i] : text[i]);
                    i++;
                }
                i++;
                tokens.Add(("string", value.ToString()));
            }
            else if (char.IsDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }
                var number = text[start..i];
                tokens.Add((number.Contains('.', StringComparison.Ordinal) ? "double" : "int", number));
                if (i < text.Length && text[i] is 'u' or 'U')
                {
                    i++;
                }
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
                var word = text[start..i];
                tokens.Add((word == "in" ? "symbol" : "ident", word));
            }
            else
            {
                var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0)
                    ?? throw new FormatException($"unexpected character '{c}'");
                tokens.Add(("symbol", symbol));
                i += symbol.Length;
            }
        }
        return tokens;
    }
}
