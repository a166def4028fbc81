using System.Text;

namespace RecOperator.KubeTypesGen;

/// <summary>Turns a schema description into a <c>/// &lt;summary&gt;</c> block.</summary>
public static class XmlDoc
{
    public static void Write(StringBuilder output, string? description, string indent)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return;
        }

        output.Append(indent).Append("/// <summary>\n");
        foreach (var line in description.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var text = Escape(line.TrimEnd());
            output.Append(indent).Append("///").Append(text.Length == 0 ? "" : " " + text).Append('\n');
        }

        output.Append(indent).Append("/// </summary>\n");
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
