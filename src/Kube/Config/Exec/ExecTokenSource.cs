namespace RecOperator.Kube.Config.Exec;

/// <summary>The bearer token of an exec plugin's credential; none when the plugin answered with a client certificate only.</summary>
public sealed class ExecTokenSource(ExecCredentialPlugin plugin) : ITokenSource
{
    public ExecCredentialPlugin Plugin { get; } = plugin ?? throw new ArgumentNullException(nameof(plugin));

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) =>
        (await Plugin.GetAsync(cancellationToken).ConfigureAwait(false)).Token;
}
