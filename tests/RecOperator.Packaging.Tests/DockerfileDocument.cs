using System.Text;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// Reads a Dockerfile into stages and instructions the way BuildKit does for the parts the tests look at: comments and
/// blank lines skipped, backslash continuations joined, keywords case-insensitive, global ARGs before the first FROM.
/// </summary>
internal sealed class DockerfileDocument
{
    private DockerfileDocument(IReadOnlyList<DockerStage> stages) => Stages = stages;

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => s.Name == name) ?? throw new KeyNotFoundException($"the Dockerfile has no stage '{name}'");

    public static DockerfileDocument Parse(string text)
    {
        var stages = new List<DockerStage>();
        (string Name, string Image, int Line)? current = null;
        var instructions = new List<DockerInstruction>();
        foreach (var instruction in Instructions(text))
        {
            if (!instruction.Keyword.Equals("FROM", StringComparison.OrdinalIgnoreCase))
            {
                instructions.Add(instruction);
                continue;
            }

            Close();
            var words = instruction.Operands();
            var name = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : $"#{stages.Count}";
            current = (name, words[0], instruction.Line);
        }

        Close();
        return new DockerfileDocument(stages);

        void Close()
        {
            if (current is { } stage)
            {
                stages.Add(new DockerStage(stage.Name, stage.Image, stage.Line, instructions.ToList()));
            }

            instructions.Clear();
        }
    }

    private static IEnumerable<DockerInstruction> Instructions(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var buffer = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith('#') || (line.Length == 0 && buffer.Length == 0))
            {
                continue;
            }

            if (buffer.Length == 0)
            {
                start = i + 1;
            }

            var continued = line.EndsWith('\\');
            buffer.Append(continued ? line[..^1] : line).Append(' ');
            if (continued)
            {
                continue;
            }

            var joined = buffer.ToString().Trim();
            buffer.Clear();
            var space = joined.IndexOf(' ', StringComparison.Ordinal);
            yield return space < 0
                ? new DockerInstruction(start, joined.ToUpperInvariant(), "")
                : new DockerInstruction(start, joined[..space].ToUpperInvariant(), joined[(space + 1)..].Trim());
        }
    }
}
