namespace RecOperator.Kube.Config;

/// <summary>
/// A token kept in a file (kubeconfig <c>tokenFile</c>, the service-account token). The kubelet rotates projected
/// tokens by replacing the file, so the file's timestamp and size are checked on every request and the token
/// re-read when either changed.
/// </summary>
public sealed class FileTokenSource(string path) : ITokenSource
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTime WrittenUtc, long Length) _version;
    private string? _token;

    public string Path { get; } = path;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"token file '{Path}' does not exist", Path);
        }

        var version = (info.LastWriteTimeUtc, info.Length);
        if (_token is not null && version == _version)
        {
            return _token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var text = await File.ReadAllTextAsync(Path, cancellationToken).ConfigureAwait(false);
            (_token, _version) = (text.Trim(), version);
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }
}
