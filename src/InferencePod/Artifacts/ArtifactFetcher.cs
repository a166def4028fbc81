using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;

namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// Makes a model artifact available as a local file: a path or file:// URI is used in place, an http(s):// URI is
/// downloaded into the cache folder (via a temporary file so a torn download never looks complete). When a sha256 is
/// expected, the file's hash must match or start-up stops.
/// </summary>
/// <remarks>
/// The cache is keyed by the URI and the expected sha256, and a cached file is hashed again before it is used: a
/// new artifact published under the same URI, or a cached file torn by a full disk, is downloaded again instead of
/// blocking every later start-up of the pod.
/// </remarks>
public sealed class ArtifactFetcher(HttpClient http, string cacheDirectory)
{
    public async Task<string> FetchAsync(string artifact, string expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifact);
        string Mismatch(string actual) =>
            $"artifact '{artifact}' has sha256 {actual}, but --sha256 (RECPOD_SHA256) expects {expectedSha256.ToLowerInvariant()}; refusing to load it";
        if (!Uri.TryCreate(artifact, UriKind.Absolute, out var uri) || uri.Scheme.Length <= 1)
        {
            return await VerifiedAsync(ExistingFile(Path.GetFullPath(artifact), artifact), expectedSha256, Mismatch, cancellationToken).ConfigureAwait(false);
        }
        return uri.Scheme switch
        {
            "file" => await VerifiedAsync(ExistingFile(uri.LocalPath, artifact), expectedSha256, Mismatch, cancellationToken).ConfigureAwait(false),
            "http" or "https" => await DownloadAsync(uri, expectedSha256, Mismatch, cancellationToken).ConfigureAwait(false),
            _ => throw new ArtifactException($"artifact '{artifact}': scheme '{uri.Scheme}' is not supported (use a path, file://, http:// or https://)"),
        };
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
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedSha256);
        string Mismatch(string actual) =>
            $"user model '{fileName}' of split artifact '{artifact}' has sha256 {actual}, but the candidate model's metadata expects {expectedSha256}; refusing to load it";
        var remote = Uri.TryCreate(artifact, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        return remote
            ? await DownloadAsync(new Uri(uri!, Uri.EscapeDataString(fileName)), expectedSha256, Mismatch, cancellationToken).ConfigureAwait(false)
            : await VerifiedAsync(ExistingFile(Path.Combine(Path.GetDirectoryName(localArtifactPath) ?? ".", fileName), fileName), expectedSha256, Mismatch,
                cancellationToken).ConfigureAwait(false);
    }

    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The cache file's name: the URI and the expected hash together, so a new sha256 never reuses an old download.</summary>
    public static string CacheFileName(Uri uri, string expectedSha256)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var key = uri.AbsoluteUri + "\n" + expectedSha256.ToLowerInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32] + ".onnx";
    }

    private static async Task<string> VerifiedAsync(string path, string expectedSha256, Func<string, string> mismatch, CancellationToken cancellationToken)
    {
        if (expectedSha256.Length == 0)
        {
            return path;
        }
        var actual = await HashAsync(path, cancellationToken).ConfigureAwait(false);
        return string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase) ? path : throw new ArtifactException(mismatch(actual));
    }

    private static async Task<bool> MatchesAsync(string path, string expectedSha256, CancellationToken cancellationToken) =>
        expectedSha256.Length == 0
        || string.Equals(await HashAsync(path, cancellationToken).ConfigureAwait(false), expectedSha256, StringComparison.OrdinalIgnoreCase);

    private static string ExistingFile(string path, string artifact) =>
        File.Exists(path) ? path : throw new ArtifactException($"artifact '{artifact}' does not exist (looked for {path})");

    private async Task<string> DownloadAsync(Uri uri, string expectedSha256, Func<string, string> mismatch, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        var target = Path.Combine(cacheDirectory, CacheFileName(uri, expectedSha256));
        if (File.Exists(target) && await MatchesAsync(target, expectedSha256, cancellationToken).ConfigureAwait(false))
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
            // Checked before it enters the cache: a wrong download is reported, never kept where a later start finds it.
            await VerifiedAsync(partial, expectedSha256, mismatch, cancellationToken).ConfigureAwait(false);
            File.Move(partial, target, overwrite: true);
            return target;
        }
        catch (HttpRequestException error) when (error.InnerException is AuthenticationException)
        {
            throw new ArtifactException(
                $"artifact '{uri}': the server's TLS certificate is not trusted ({error.InnerException.Message}); give its CA with --artifact-ca (RECPOD_ARTIFACT_CA)",
                error);
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
