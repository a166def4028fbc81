using RecOperator.InferencePod.Artifacts;
using RecOperator.InferencePod.Configuration;

namespace RecOperator.InferencePod.Model;

/// <summary>
/// Which inputs are user-side: the configured names (the RecModel's spec.inputs.user, through
/// <see cref="PodSettings.UserInputs"/>) when given, else the artifact's <c>recoperator.user_inputs</c> metadata. A
/// configured name the model does not take stops start-up naming it, where it would otherwise be silently ignored and
/// the pod would serve without the reuse the spec asked for.
/// </summary>
public static class UserInputNames
{
    public static IReadOnlySet<string> Resolve(IReadOnlyList<string>? configured, IEnumerable<string> fromMetadata, IReadOnlyCollection<string> modelInputs)
    {
        ArgumentNullException.ThrowIfNull(fromMetadata);
        ArgumentNullException.ThrowIfNull(modelInputs);
        if (configured is null)
        {
            return fromMetadata.ToHashSet(StringComparer.Ordinal);
        }
        var unknown = configured.Where(name => !modelInputs.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArtifactException($"{Setting} names {Quoted(unknown)}, which the model does not take; its inputs are: {string.Join(", ", modelInputs)}");
        }
        return configured.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// A split artifact fixes its user side in the user model; configured names must be exactly its inputs.
    /// </summary>
    public static void RequireSplitMatches(IReadOnlyList<string>? configured, IReadOnlyCollection<string> userModelInputs)
    {
        ArgumentNullException.ThrowIfNull(userModelInputs);
        if (configured is not null && !configured.ToHashSet(StringComparer.Ordinal).SetEquals(userModelInputs))
        {
            throw new ArtifactException($"{Setting} names {Quoted(configured)}, but the split artifact's user model takes {Quoted(userModelInputs)}; "
                + "name the same inputs or leave the setting out");
        }
    }

    private static string Setting => $"{PodSettings.UserInputs.Option} ({PodSettings.UserInputs.EnvironmentVariable})";

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
