namespace RecOperator.Operator.Autoscaling;

/// <summary>Where a variant's capacity estimate comes from.</summary>
public enum CapacitySource
{
    /// <summary>The profiled QPS per replica from the RecModel spec.</summary>
    Profile,

    /// <summary>No profile in the spec: a deliberately low default until observed load refines it.</summary>
    Default,

    /// <summary>Refined from observed load and p99.</summary>
    Observed,
}
