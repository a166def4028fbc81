namespace RecOperator.DevCluster.Lifecycle;

/// <summary>The finalizers the garbage collector owns, with their real names.</summary>
public static class Finalizers
{
    public const string Foreground = "foregroundDeletion";
    public const string Orphan = "orphan";
}
