namespace RecOperator.DevCluster.Networking;

/// <summary>An HTTPRoute path match: <c>Exact</c>, or <c>PathPrefix</c> on whole path segments (/a matches /a and /a/b, not /ab).</summary>
public readonly record struct PathMatch(bool Exact, string Value)
{
    public bool Matches(string path)
    {
        if (Exact)
        {
            return path == Value;
        }

        var prefix = Value.TrimEnd('/');
        return prefix.Length == 0
            || path == prefix
            || (path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length && path[prefix.Length] == '/');
    }

    public override string ToString() => Exact ? $"={Value}" : $"{Value}*";
}
