namespace RecOperator.DevCluster.Validation.Cel;

/// <summary>
/// A function outside the supported subset (`isURL`, `quantity`, ...): the rule is skipped rather than
/// failing objects the real server would accept.
/// </summary>
internal sealed class CelUnsupportedException : Exception
{
    public CelUnsupportedException(string function)
        : base($"unsupported CEL function '{function}'")
    {
    }
}
