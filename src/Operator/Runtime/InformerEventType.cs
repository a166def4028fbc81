namespace RecOperator.Operator.Runtime;

public enum InformerEventType
{
    Added,
    Updated,
    Deleted,

    /// <summary>Periodic re-delivery of a cached object that did not change, so drift is corrected.</summary>
    Resync,
}
