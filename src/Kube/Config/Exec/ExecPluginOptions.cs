namespace RecOperator.Kube.Config.Exec;

/// <summary>How exec credential plugins are run; the defaults suit the cloud plugins (aws, gke-gcloud-auth-plugin, kubelogin).</summary>
public sealed record ExecPluginOptions
{
    /// <summary>
    /// Limit on one run of the plugin; it is then killed. client-go has none, but a plugin that waits for a login
    /// nobody can give (there is no terminal) would otherwise hold every request forever.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long before its expirationTimestamp a credential is replaced.</summary>
    public TimeSpan RefreshBeforeExpiry { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock for expiry (tests pass a manual one) and for retiring connections of a rotated certificate.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long connections made with a replaced client certificate may finish their requests before they are closed.</summary>
    public TimeSpan RetiredConnectionGrace { get; init; } = TimeSpan.FromMinutes(1);
}
