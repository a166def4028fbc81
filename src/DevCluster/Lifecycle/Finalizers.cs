namespace RecOperator.DevCluster.Lifecycle;

/// <summary>The finalizers the garbage collector owns, with their real names.</summary>
public static class Finalizers
{
    public const string Foreground = "foregroundDeletion";
    public const string Orphan = "orphan";

    /// <summary>Keeps a deleted CRD until every custom resource it served is gone.</summary>
    public const string CustomResourceCleanup = "customresourcecleanup.apiextensions.k8s.io";
}
