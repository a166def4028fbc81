using System.Globalization;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The deployment controller's bookkeeping on its ReplicaSets, as kube-controller-manager keeps it: revisions (the new
/// ReplicaSet is one past the newest old one, so a rollback brings an old ReplicaSet back under a new number), the
/// annotations copied from the Deployment, and which old ReplicaSets fall out of revisionHistoryLimit. Pure.
/// </summary>
public static class DeploymentRevisions
{
    public const string Revision = "deployment.kubernetes.io/revision";
    public const string RevisionHistory = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicas = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicas = "deployment.kubernetes.io/max-replicas";

    /// <summary>Never copied from a Deployment to its ReplicaSets (nor back by `kubectl rollout undo`).</summary>
    private static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration", Revision, RevisionHistory, DesiredReplicas, MaxReplicas,
        "deprecated.deployment.rollback.to",
    };

    public static long Of(V1ObjectMeta? meta) => Number<long>(meta?.Annotations.Find(Revision)) ?? 0;

    /// <summary>The revision the new ReplicaSet gets: one past the newest of the others.</summary>
    public static long Next(IEnumerable<V1ReplicaSet> old) => old.Select(rs => Of(rs.Metadata)).DefaultIfEmpty(0).Max() + 1;

    /// <summary>
    /// The new ReplicaSet's annotations: the Deployment's (but the controller's own), the revision when it is newer than
    /// the one it had (the old number appended to revision-history), and the replica annotations for one just created.
    /// </summary>
    public static Dictionary<string, string> ForNewReplicaSet(V1Deployment deployment, IReadOnlyDictionary<string, string>? current, long revision, bool created)
    {
        var annotations = new Dictionary<string, string>(current ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in deployment.Metadata?.Annotations ?? new Dictionary<string, string>())
        {
            if (!NotCopied.Contains(key))
            {
                annotations[key] = value;
            }
        }
        var had = annotations.GetValueOrDefault(Revision);
        if ((Number<long>(had) ?? 0) < revision)
        {
            annotations[Revision] = revision.ToString(CultureInfo.InvariantCulture);
            if (!string.IsNullOrEmpty(had))
            {
                annotations[RevisionHistory] = annotations.GetValueOrDefault(RevisionHistory) is { Length: > 0 } history ? $"{history},{had}" : had;
            }
        }
        return created ? WithReplicas(annotations, deployment) : annotations;
    }

    /// <summary>desired-replicas and max-replicas, written whenever the controller sizes a ReplicaSet.</summary>
    public static Dictionary<string, string> WithReplicas(IReadOnlyDictionary<string, string>? current, V1Deployment deployment)
    {
        var replicas = deployment.Spec?.Replicas ?? 1;
        return new Dictionary<string, string>(current ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [DesiredReplicas] = replicas.ToString(CultureInfo.InvariantCulture),
            [MaxReplicas] = (replicas + RolloutPlan.MaxSurge(deployment)).ToString(CultureInfo.InvariantCulture),
        };
    }

    public static int? DesiredOf(V1ReplicaSet rs) => Number<int>(rs.Metadata?.Annotations.Find(DesiredReplicas));

    public static int? MaxOf(V1ReplicaSet rs) => Number<int>(rs.Metadata?.Annotations.Find(MaxReplicas));

    // An annotation's number as the controller writes it: digits only, no sign; null when absent or not one.
    private static T? Number<T>(string? text) where T : struct, System.Numerics.IBinaryInteger<T> =>
        T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>
    /// Old ReplicaSets beyond revisionHistoryLimit, lowest revisions first; one that still has pods, or whose status
    /// has not caught up with its spec, is kept for a later pass.
    /// </summary>
    public static IReadOnlyList<V1ReplicaSet> BeyondHistory(V1Deployment deployment, IEnumerable<V1ReplicaSet> old)
    {
        if (deployment.Spec?.RevisionHistoryLimit is not { } limit)
        {
            return [];
        }
        var alive = old.Where(rs => rs.Metadata?.DeletionTimestamp is null).ToList();
        return alive.OrderBy(rs => Of(rs.Metadata)).ThenBy(rs => rs.Metadata?.CreationTimestamp).Take(Math.Max(0, alive.Count - limit))
            .Where(rs => rs.Status?.Replicas is null or 0 && (rs.Spec?.Replicas ?? 1) == 0 && (rs.Metadata?.Generation ?? 0) <= (rs.Status?.ObservedGeneration ?? 0))
            .ToList();
    }

    /// <summary>The ReplicaSet running the Deployment's template (the oldest, should there be more), or null.</summary>
    public static V1ReplicaSet? FindNew(V1Deployment deployment, IEnumerable<V1ReplicaSet> owned)
    {
        return owned.Where(rs => rs.Spec?.Template is { } t && PodTemplateEquality.EqualIgnoreHash(t, deployment.Spec!.Template))
            .OrderBy(rs => rs.Metadata?.CreationTimestamp).ThenBy(rs => rs.Metadata?.Name, StringComparer.Ordinal).FirstOrDefault();
    }
}
