using RecOperator.Onnx.Model;

namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// What a split artifact's candidate model says about its user half (metadata written by `recop optimize split`,
/// contract in docs/optimizer.md): the user model's file name beside it, that file's sha256 and the tensors the user
/// model hands to the candidate model.
/// </summary>
public sealed record SplitReference(string UserModelFile, string UserModelSha256, IReadOnlyList<string> UserOutputs)
{
    public const string RoleKey = "recoperator.split.role";
    public const string UserModelKey = "recoperator.split.user_model";
    public const string UserModelSha256Key = "recoperator.split.user_model_sha256";
    public const string UserOutputsKey = "recoperator.split.user_outputs";

    /// <summary>The reference in the model at <paramref name="path"/>; null for a plain (unsplit) model.</summary>
    public static SplitReference? Read(string path)
    {
        var metadata = OnnxModelFiles.Read(path, loadExternalData: false).MetadataProps
            .GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        if (!metadata.TryGetValue(RoleKey, out var role))
        {
            return null;
        }
        if (role != "candidate")
        {
            throw new ArtifactException(
                $"artifact '{path}' has {RoleKey}='{role}'; a split artifact is served from its candidate model (the one the manifest's path names)");
        }
        var file = Required(metadata, UserModelKey, path);
        if (file != Path.GetFileName(file) || file is "." or "..")
        {
            throw new ArtifactException($"artifact '{path}': {UserModelKey} must be a file name beside the candidate model, got '{file}'");
        }
        var sha = Required(metadata, UserModelSha256Key, path);
        if (sha.Length != 64 || !sha.All(Uri.IsHexDigit))
        {
            throw new ArtifactException($"artifact '{path}': {UserModelSha256Key} must be 64 hex characters, got '{sha}'");
        }
        var outputs = Required(metadata, UserOutputsKey, path).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new SplitReference(file, sha.ToLowerInvariant(), outputs);
    }

    private static string Required(Dictionary<string, string> metadata, string key, string path) =>
        metadata.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new ArtifactException($"artifact '{path}' is a split candidate model but its metadata lacks {key}");
}
