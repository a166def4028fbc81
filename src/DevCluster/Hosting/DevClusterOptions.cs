namespace RecOperator.DevCluster.Hosting;

/// <summary>How to run the control plane. Defaults are the `recop devcluster up` ones.</summary>
public sealed record DevClusterOptions
{
    /// <summary>State, certificates, token and kubeconfig live here; null runs in memory (tests without restarts).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// HTTPS with a generated CA, bearer-token authentication and RBAC; false serves plain HTTP without authentication,
    /// every request being the admin's (system:masters), so RBAC never refuses one (tests).
    /// </summary>
    public bool Secure { get; init; } = true;

    /// <summary>How often an idle watch that asked for bookmarks gets one (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Events kept for watch resume; older resourceVersions get 410 Gone.</summary>
    public int HistoryWindow { get; init; } = 20_000;

    /// <summary>
    /// How long an Event lives after its last write (kube-apiserver's --event-ttl, one hour by default), so a busy
    /// cluster's Events do not pile up in the store.
    /// </summary>
    public TimeSpan EventTtl { get; init; } = TimeSpan.FromHours(1);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
