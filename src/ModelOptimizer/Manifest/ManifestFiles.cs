using System.Security.Cryptography;
using System.Text.Json;

namespace RecOperator.ModelOptimizer.Manifest;

/// <summary>Reads and writes manifest.json (write to a temporary file, then rename) and hashes artifact files.</summary>
public static class ManifestFiles
{
    public static async Task WriteAsync(ArtifactManifest manifest, string path, CancellationToken cancellationToken)
    {
        var temporary = path + ".partial";
        await using (var file = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(file, manifest, ManifestJsonContext.Default.ArtifactManifest, cancellationToken).ConfigureAwait(false);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static async Task<ArtifactManifest?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync(file, ManifestJsonContext.Default.ArtifactManifest, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }
}
