using System.Net;
using RecOperator.Kube.Leadership;

namespace RecOperator.Operator.Runtime;

public sealed record OperatorHostOptions
{
    /// <summary>Where /healthz, /readyz and /metrics listen; port 0 picks a free port (tests).</summary>
    public IPEndPoint HealthEndpoint { get; init; } = new(IPAddress.Any, 8081);

    /// <summary>Null runs the controllers without election (a single instance).</summary>
    public LeaderElectionOptions? LeaderElection { get; init; }
}
