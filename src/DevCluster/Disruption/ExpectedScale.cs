namespace RecOperator.DevCluster.Disruption;

/// <summary>
/// The replicas the controllers of a budget's pods want in total, or why they cannot be known (a pod without a
/// controller, or with one that is not a workload with a scale): then the budget allows no disruption.
/// </summary>
public sealed record ExpectedScale(int Replicas, string? Error)
{
    public static ExpectedScale Failed(string error) => new(0, error);
}
