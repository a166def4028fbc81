namespace RecOperator.Kube.Config.Exec;

/// <summary>
/// The credential of a kubeconfig <c>exec</c> user: runs the plugin when there is no credential yet, when it is
/// about to expire, or after the API server refused it, and otherwise hands out the cached one.
/// </summary>
/// <remarks>
/// Concurrent callers share one run of the plugin. The run is bounded by <see cref="ExecPluginOptions.Timeout"/>,
/// not by a caller's cancellation: a caller that gives up stops waiting, but the run goes on for the others, so a
/// plugin slower than one request's timeout still gets its credential to the next request.
/// </remarks>
public sealed class ExecCredentialPlugin(ExecPluginSpec spec, ExecPluginOptions? options = null)
{
    private readonly ExecPluginOptions _options = options ?? new ExecPluginOptions();
    private readonly Lock _gate = new();
    private ExecCredential? _cached;
    private Task<ExecCredential>? _running;

    public ExecPluginSpec Spec { get; } = spec ?? throw new ArgumentNullException(nameof(spec));

    public ExecPluginOptions Options => _options;

    /// <summary>The current credential, running the plugin first when it has none that is fresh.</summary>
    /// <exception cref="ExecPluginException">The plugin is missing, failed, timed out or answered nonsense.</exception>
    public async ValueTask<ExecCredential> GetAsync(CancellationToken cancellationToken)
    {
        Task<ExecCredential> run;
        lock (_gate)
        {
            if (_cached is { } cached && cached.IsFreshAt(_options.TimeProvider.GetUtcNow(), _options.RefreshBeforeExpiry))
            {
                return cached;
            }

            run = _running ??= Task.Run(RunAsync, CancellationToken.None);
        }

        return await run.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The API server refused <paramref name="refused"/> (401): the next <see cref="GetAsync"/> runs the plugin again.
    /// A credential that was already replaced (another request saw the 401 first) is left alone, so a burst of
    /// refused requests runs the plugin once.
    /// </summary>
    public void Invalidate(ExecCredential refused)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_cached, refused))
            {
                _cached = null;
            }
        }
    }

    private async Task<ExecCredential> RunAsync()
    {
        try
        {
            var stdout = await ExecPluginRunner.RunAsync(Spec, _options.Timeout, CancellationToken.None).ConfigureAwait(false);
            var credential = ExecCredentialJson.Parse(stdout, Spec);
            lock (_gate)
            {
                _cached = credential;
                _running = null;
            }

            return credential;
        }
        catch
        {
            // A failed run is not cached: the next request tries the plugin again (it may have been a network blip).
            lock (_gate)
            {
                _running = null;
            }

            throw;
        }
    }
}
