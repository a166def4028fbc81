namespace RecOperator.Kube.Config;

/// <summary>
/// A token kept in a file (kubeconfig <c>tokenFile</c>, the service-account token). The kubelet rotates projected
/// tokens by replacing the file, so the file's timestamp and size are checked on every request and the token
/// re-read when either changed.
/// </summary>
public sealed class FileTokenSource(string path) : ITokenSource
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // One immutable snapshot, swapped whole, so a reader never pairs a new token with an old file version.
    private volatile Snapshot? _current;

    public string Path { get; } = path;

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"token file '{Path}' does not exist", Path);
        }

        var (written, length) = (info.LastWriteTimeUtc, info.Length);
        if (_current is { } cached && cached.WrittenUtc == written && cached.Length == length)
        {
            return cached.Token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var text = await File.ReadAllTextAsync(Path, cancellationToken).ConfigureAwait(false);
            var snapshot = new Snapshot(text.Trim(), written, length);
            _current = snapshot;
            return snapshot.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record Snapshot(string Token, DateTime WrittenUtc, long Length);
}
