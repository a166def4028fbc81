using System.Security.Cryptography;

namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// Makes a model artifact available as a local file: a path or file:// URI is used in place, an http(s):// URI is
/// downloaded once into the cache folder (by the hash of its URI, via a temporary file so a torn download never looks
/// complete). When a sha256 is expected, the file's hash must match or start-up stops.
/// </summary>
public sealed class ArtifactFetcher(HttpClient http, string cacheDirectory)
{
    public async Task<string> FetchAsync(string artifact, string expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifact);
        var path = await LocalPathAsync(artifact, cancellationToken).ConfigureAwait(false);
        if (expectedSha256.Length > 0)
        {
            var actual = await HashAsync(path, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArtifactException(
                    $"artifact '{artifact}' has sha256 {actual}, but --sha256 (RECPOD_SHA256) expects {expectedSha256.ToLowerInvariant()}; refusing to load it");
            }
        }
        return path;
    }

    /// <summary>
    /// Fetches a file the artifact names beside itself (a split artifact's user model): a path next to the local
    /// artifact, or the URI resolved against the artifact's URI, downloaded like the artifact. Its sha256 must match.
    /// </summary>
    public async Task<string> FetchCompanionAsync(string artifact, string localArtifactPath, string fileName, string expectedSha256,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifact);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        var remote = Uri.TryCreate(artifact, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        var path = remote
            ? await DownloadAsync(new Uri(uri!, Uri.EscapeDataString(fileName)), cancellationToken).ConfigureAwait(false)
            : ExistingFile(Path.Combine(Path.GetDirectoryName(localArtifactPath) ?? ".", fileName), fileName);
        var actual = await HashAsync(path, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArtifactException(
                $"user model '{fileName}' of split artifact '{artifact}' has sha256 {actual}, but the candidate model's metadata expects {expectedSha256}; refusing to load it");
        }
        return path;
    }

    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }

    private async Task<string> LocalPathAsync(string artifact, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(artifact, UriKind.Absolute, out var uri) || uri.Scheme.Length <= 1)
        {
            return ExistingFile(Path.GetFullPath(artifact), artifact);
        }
        return uri.Scheme switch
        {
            "file" => ExistingFile(uri.LocalPath, artifact),
            "http" or "https" => await DownloadAsync(uri, cancellationToken).ConfigureAwait(false),
            _ => throw new ArtifactException($"artifact '{artifact}': scheme '{uri.Scheme}' is not supported (use a path, file://, http:// or https://)"),
        };
    }

    private static string ExistingFile(string path, string artifact) =>
        File.Exists(path) ? path : throw new ArtifactException($"artifact '{artifact}' does not exist (looked for {path})");

    private async Task<string> DownloadAsync(Uri uri, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        var name = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(uri.AbsoluteUri)))[..32] + ".onnx";
        var target = Path.Combine(cacheDirectory, name);
        if (File.Exists(target))
        {
            return target;
        }
        var partial = target + "." + Guid.NewGuid().ToString("N") + ".partial";
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ArtifactException($"artifact '{uri}': download answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            await using (var file = File.Create(partial))
            {
                await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
            File.Move(partial, target, overwrite: true);
            return target;
        }
        catch (HttpRequestException error)
        {
            throw new ArtifactException($"artifact '{uri}': download failed: {error.Message}", error);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
