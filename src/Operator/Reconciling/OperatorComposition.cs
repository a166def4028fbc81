using Microsoft.Extensions.Logging;
using RecOperator.Kube.Client;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// The parts of a running operator that another loop plugs into (the autoscaler adds its controller here with one
/// line): the client, the shared informers, the plan book the reconciler reads, metrics, and the controllers that
/// run while this instance leads.
/// </summary>
public sealed class OperatorComposition(
    KubeApiClient client, SharedInformerFactory informers, FleetPlanBook plans, OperatorMetrics metrics, ILoggerFactory loggers, RecOperatorOptions options)
{
    private readonly List<Controller> _controllers = [];
    private readonly List<Func<CancellationToken, Task>> _loops = [];

    public KubeApiClient Client { get; } = client;

    public SharedInformerFactory Informers { get; } = informers;

    public FleetPlanBook Plans { get; } = plans;

    public OperatorMetrics Metrics { get; } = metrics;

    public ILoggerFactory Loggers { get; } = loggers;

    public RecOperatorOptions Options { get; } = options;

    public IReadOnlyList<Controller> Controllers => _controllers;

    /// <summary>Loops that run for the host's whole life, leader or not (the autoscaler keeps its plans warm).</summary>
    public IReadOnlyList<Func<CancellationToken, Task>> Loops => _loops;

    /// <summary>Whether this instance leads now; set by the host once it exists, false before.</summary>
    public Func<bool> IsLeading { get; internal set; } = () => false;

    public void AddLoop(Func<CancellationToken, Task> loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        _loops.Add(loop);
    }

    public Controller AddController(Controller controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controllers.Add(controller);
        return controller;
    }
}
