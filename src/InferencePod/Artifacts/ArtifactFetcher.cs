using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;

namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// Makes a model artifact available as a local file: a path or file:// URI is used in place; an http(s)://, s3:// or
/// gs:// URI is downloaded into the cache folder (via a temporary file so a torn download never looks complete), each
/// store asked in its own way (<see cref="IArtifactStore"/>) but downloaded, cached and checked by the same code. When
/// a sha256 is expected, the file's hash must match or start-up stops.
/// </summary>
/// <remarks>
/// The cache is keyed by the URI and the expected sha256, and a cached file is hashed again before it is used: a
/// new artifact published under the same URI, or a cached file torn by a full disk, is downloaded again instead of
/// blocking every later start-up of the pod.
/// </remarks>
/// <param name="http">Sends every download (and GCS's metadata-server request): its TLS trust, --artifact-ca included, applies to all stores.</param>
/// <param name="stores">Endpoints and credentials of s3:// and gs://; <see cref="ObjectStoreSettings.Default"/> when null.</param>
/// <param name="time">The clock S3 signatures are dated by; the system's when null.</param>
public sealed class ArtifactFetcher(HttpClient http, string cacheDirectory, ObjectStoreSettings? stores = null, TimeProvider? time = null)
{
    // Enough for any store's error document; the rest of an unexpected large body is not read.
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly ObjectStoreSettings _stores = stores ?? ObjectStoreSettings.Default;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<string> FetchAsync(string artifact, string expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifact);
        string Mismatch(string actual) =>
            $"artifact '{artifact}' has sha256 {actual}, but --sha256 (RECPOD_SHA256) expects {expectedSha256.ToLowerInvariant()}; refusing to load it";
        if (ObjectLocation.IsObjectUri(artifact))
        {
            var location = ObjectLocation.Parse(artifact);
            return await DownloadAsync(location.ToString(), StoreFor(location.Scheme), expectedSha256, Mismatch, cancellationToken).ConfigureAwait(false);
        }
        if (!Uri.TryCreate(artifact, UriKind.Absolute, out var uri) || uri.Scheme.Length <= 1)
        {
            return await VerifiedAsync(ExistingFile(Path.GetFullPath(artifact), artifact), expectedSha256, Mismatch, cancellationToken).ConfigureAwait(false);
        }
        return uri.Scheme switch
        {
            "file" => await VerifiedAsync(ExistingFile(uri.LocalPath, artifact), expectedSha256, Mismatch, cancellationToken).ConfigureAwait(false),
            "http" or "https" => await DownloadAsync(uri.AbsoluteUri, HttpArtifactStore.Instance, expectedSha256, Mismatch, cancellationToken).ConfigureAwait(false),
            _ => throw new ArtifactException($"artifact '{artifact}': scheme '{uri.Scheme}' is not supported (use a path, file://, http://, https://, s3:// or gs://)"),
        };
    }

    /// <summary>
    /// Fetches a file the artifact names beside itself (a split artifact's user model): a path next to the local
    /// artifact, the URI resolved against the artifact's URI for http(s), or the object of that name under the same
    /// prefix of the same bucket for s3:// and gs://, downloaded like the artifact. Its sha256 must match.
    /// </summary>
    public async Task<string> FetchCompanionAsync(string artifact, string localArtifactPath, string fileName, string expectedSha256,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifact);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedSha256);
        string Mismatch(string actual) =>
            $"user model '{fileName}' of split artifact '{artifact}' has sha256 {actual}, but the candidate model's metadata expects {expectedSha256}; refusing to load it";
        if (ObjectLocation.IsObjectUri(artifact))
        {
            var sibling = ObjectLocation.Parse(artifact).Sibling(fileName);
            return await DownloadAsync(sibling.ToString(), StoreFor(sibling.Scheme), expectedSha256, Mismatch, cancellationToken).ConfigureAwait(false);
        }
        var remote = Uri.TryCreate(artifact, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        return remote
            ? await DownloadAsync(new Uri(uri!, Uri.EscapeDataString(fileName)).AbsoluteUri, HttpArtifactStore.Instance, expectedSha256, Mismatch, cancellationToken)
                .ConfigureAwait(false)
            : await VerifiedAsync(ExistingFile(Path.Combine(Path.GetDirectoryName(localArtifactPath) ?? ".", fileName), fileName), expectedSha256, Mismatch,
                cancellationToken).ConfigureAwait(false);
    }

    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The cache file's name: the URI and the expected hash together, so a new sha256 never reuses an old download.</summary>
    public static string CacheFileName(string artifactUri, string expectedSha256)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactUri);
        var key = artifactUri + "\n" + expectedSha256.ToLowerInvariant();
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

    private IArtifactStore StoreFor(string scheme) => scheme == ObjectLocation.S3Scheme
        ? new S3ArtifactStore(_stores.S3, _time)
        : new GcsArtifactStore(_stores.Gcs, http);

    /// <param name="artifact">The URI as messages show it and the cache is keyed by.</param>
    private async Task<string> DownloadAsync(string artifact, IArtifactStore store, string expectedSha256, Func<string, string> mismatch,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        var target = Path.Combine(cacheDirectory, CacheFileName(artifact, expectedSha256));
        if (File.Exists(target) && await MatchesAsync(target, expectedSha256, cancellationToken).ConfigureAwait(false))
        {
            return target;
        }
        var partial = target + "." + Guid.NewGuid().ToString("N") + ".partial";
        try
        {
            var request = await store.RequestAsync(artifact, cancellationToken).ConfigureAwait(false);
            using var message = request.Message;
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var body = await ErrorBodyAsync(response.Content, cancellationToken).ConfigureAwait(false);
                throw new ArtifactException($"artifact '{artifact}': {store.Refusal(request, response, body)}");
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
                $"artifact '{artifact}': the server's TLS certificate is not trusted ({error.InnerException.Message}); give its CA with --artifact-ca (RECPOD_ARTIFACT_CA)",
                error);
        }
        catch (HttpRequestException error)
        {
            throw new ArtifactException($"artifact '{artifact}': download failed: {error.Message}", error);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static async Task<string> ErrorBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxErrorBodyBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }
        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
