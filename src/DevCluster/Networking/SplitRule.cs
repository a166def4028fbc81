namespace RecOperator.DevCluster.Networking;

/// <summary>One rule of a split: requests whose path matches (no matches = every path) are shared among the backends by weight.</summary>
public sealed record SplitRule(IReadOnlyList<PathMatch> Paths, IReadOnlyList<WeightedBackend> Backends)
{
    public bool Matches(string path) => Paths.Count == 0 || Paths.Any(p => p.Matches(path));
}
