namespace RecOperator.Kube.Client;

/// <summary>One page of a list: its items, the collection's resourceVersion and the token for the next page.</summary>
public sealed record KubeList<T>(IReadOnlyList<T> Items, string? ResourceVersion, string? Continue, long? RemainingItemCount = null);
