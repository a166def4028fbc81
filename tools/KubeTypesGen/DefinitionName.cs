namespace RecOperator.KubeTypesGen;

/// <summary>The parts of a definition key such as <c>io.k8s.api.apps.v1.Deployment</c>.</summary>
public readonly record struct DefinitionName(string Key, string Group, string Version, string Kind)
{
    public static DefinitionName Parse(string key)
    {
        var parts = key.Split('.');
        if (parts.Length < 3)
        {
            throw new FormatException($"definition key '{key}' has no group.version.Kind suffix");
        }

        return new DefinitionName(key, parts[^3], parts[^2], parts[^1]);
    }

    /// <summary>The usual C# name: version then kind, as in <c>V1Deployment</c>.</summary>
    public string ShortTypeName => Pascal(Version) + Kind;

    /// <summary>The name used when two groups define the same kind, as in <c>CoreV1Event</c> and <c>EventsV1Event</c>.</summary>
    public string QualifiedTypeName => Pascal(Group) + Pascal(Version) + Kind;

    public static string Pascal(string word)
    {
        var chars = new List<char>(word.Length);
        var upperNext = true;
        foreach (var c in word)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upperNext = true;
                continue;
            }

            chars.Add(upperNext ? char.ToUpperInvariant(c) : c);
            upperNext = false;
        }

        return new string([.. chars]);
    }
}
