namespace RecOperator.Operator.Simulation;

/// <summary>What happens to a node pool at a point of a trace.</summary>
public enum TraceEventKind
{
    /// <summary>The pool's nodes are lost (spot reclaim): its pods die and nothing schedules there.</summary>
    PoolDown,

    /// <summary>The pool accepts pods again.</summary>
    PoolUp,
}
