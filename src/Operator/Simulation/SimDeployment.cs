namespace RecOperator.Operator.Simulation;

/// <summary>The pods of one (variant, pool) in the simulation: ready, starting (with ready times) and pending.</summary>
internal sealed class SimDeployment
{
    private readonly List<double> _startingReadyAt = [];

    public int Ready { get; private set; }

    public int Pending { get; private set; }

    public int Starting => _startingReadyAt.Count;

    /// <summary>Pods holding a slot in the pool (and costing money).</summary>
    public int Scheduled => Ready + Starting;

    public int Desired => Ready + Starting + Pending;

    public void ScaleTo(int desired)
    {
        var excess = Desired - desired;
        if (excess < 0)
        {
            Pending -= excess;
            return;
        }

        // Like a ReplicaSet: unscheduled pods go first, then the youngest not-ready ones, then ready ones.
        var fromPending = Math.Min(excess, Pending);
        Pending -= fromPending;
        excess -= fromPending;
        var fromStarting = Math.Min(excess, _startingReadyAt.Count);
        _startingReadyAt.Sort();
        _startingReadyAt.RemoveRange(_startingReadyAt.Count - fromStarting, fromStarting);
        Ready -= excess - fromStarting;
    }

    public void Schedule(int count, double readyAt)
    {
        var n = Math.Min(count, Pending);
        Pending -= n;
        for (var i = 0; i < n; i++)
        {
            _startingReadyAt.Add(readyAt);
        }
    }

    public void Promote(double now)
    {
        Ready += _startingReadyAt.RemoveAll(t => t <= now);
    }

    /// <summary>The nodes went away: every pod is recreated by its Deployment and waits to be scheduled.</summary>
    public void Evict()
    {
        Pending += Ready + _startingReadyAt.Count;
        Ready = 0;
        _startingReadyAt.Clear();
    }
}
