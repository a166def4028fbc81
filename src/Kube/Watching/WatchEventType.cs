namespace RecOperator.Kube.Watching;

/// <summary>What happened to the object in a watch event.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>No change: the object carries only a newer resourceVersion to resume from.</summary>
    Bookmark,
}
