namespace RecOperator.Operator.Reconciling;

/// <summary>What an apply did to a child object.</summary>
public enum ChildChange
{
    Unchanged,
    Created,
    Updated,
}
