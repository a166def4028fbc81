namespace RecOperator.Demo.Tests.Resilience;

/// <summary>One replicas change of a Deployment: null From is its appearance, null To its deletion.</summary>
internal sealed record ReplicaChange(TimeSpan At, string Deployment, int? From, int? To)
{
    public override string ToString() => $"{At.TotalSeconds:F1}s {Deployment}: {From?.ToString() ?? "-"} -> {To?.ToString() ?? "deleted"}";
}
