namespace RecOperator.Operator.Fleet;

/// <summary>The last change of one (variant, pool)'s replicas: when, and the autoscaler's reason in words.</summary>
public sealed record ScaleChange(DateTimeOffset At, string Reason);
