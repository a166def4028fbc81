namespace RecOperator.Operator.Autoscaling;

/// <summary>Identifies one Deployment the autoscaler sizes: a variant placed in one node pool.</summary>
public readonly record struct PlacementKey(string Variant, string Pool)
{
    public override string ToString() => $"{Variant}@{Pool}";
}
