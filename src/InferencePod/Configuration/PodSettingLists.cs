namespace RecOperator.InferencePod.Configuration;

/// <summary>List-valued settings: comma-separated in one flag or environment variable, as the operator writes them.</summary>
public static class PodSettingLists
{
    /// <summary>The trimmed, non-empty names in <paramref name="text"/>; null when the setting is not given.</summary>
    public static IReadOnlyList<string>? Split(string? text) =>
        text is null ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The value the operator sets: the names joined by commas.</summary>
    public static string Join(IEnumerable<string> names) => string.Join(",", names);
}
