namespace RecOperator.Kube.Watching;

/// <summary>One change seen by a watch. For <see cref="WatchEventType.Deleted"/>, the object's last state.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object);
