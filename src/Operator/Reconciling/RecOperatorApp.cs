using Microsoft.Extensions.Logging;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Assembles the operator: informers for RecModels, NodePools, Nodes, unfinished Pods and the owned kinds; the RecModel
/// controller (spec changes, owned-object changes, NodePool changes and plan changes enqueue a model) and the NodePool
/// controller (reading nodes, models and pods from those caches); then whatever <c>extend</c> adds (the autoscaler),
/// all run by one <see cref="OperatorHost"/>.
/// </summary>
public static class RecOperatorApp
{
    public const string RecModelController = "recmodel";
    public const string NodePoolController = "nodepool";

    public static OperatorHost Build(
        KubeApiClient client, RecOperatorOptions options, ILoggerFactory loggers, OperatorMetrics metrics,
        FleetPlanBook? plans = null, Action<OperatorComposition>? extend = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var informers = new SharedInformerFactory(client, loggers, new SharedInformerOptions { ResyncPeriod = options.ResyncPeriod });
        var composition = new OperatorComposition(client, informers, plans ?? new FleetPlanBook(), metrics, loggers, options);
        AddRecModelController(composition);
        var poolInputs = AddNodePoolController(composition);
        extend?.Invoke(composition);
        // Chosen after extend: when the autoscaler already watches every pod, its informer is shared (finished pods
        // left out when read) rather than a second cluster-wide pod watch; otherwise one for the unfinished pods only.
        poolInputs.WithPods(informers.Covering<V1Pod>(null, NodePoolPods.FieldSelector));
        var host = new OperatorHost(client, informers, composition.Controllers, metrics, options.Host, loggers, composition.Loops);
        composition.IsLeading = () => host.IsLeader;
        return host;
    }

    private static void AddRecModelController(OperatorComposition c)
    {
        var ns = c.Options.Namespace;
        var events = new EventRecorder(c.Client, c.Options.Identity);
        var (deployments, services, budgets) = (c.Informers.For<V1Deployment>(ns), c.Informers.For<V1Service>(ns), c.Informers.For<V1PodDisruptionBudget>(ns));
        // The owned kinds and the NodePools are watched anyway: the reconciler reads them from those caches.
        var children = new InformerChildSource(new LiveChildSource(c.Client)).With(deployments).With(services).With(budgets).WithPools(c.Informers.For<NodePool>());
        var reconciler = new RecModelReconciler(c.Client, c.Plans, c.Options.Images, events, c.Loggers.CreateLogger<RecModelReconciler>(), children: children);
        var models = c.Informers.For<RecModel>(ns);
        var controller = c.AddController(new Controller(RecModelController, reconciler, c.Options.Controllers, c.Metrics, c.Loggers.CreateLogger(RecModelController)))
            .Watch(models)
            .Owns(deployments, RecModel.Descriptor.ApiVersion, RecModel.KindName)
            .Owns(services, RecModel.Descriptor.ApiVersion, RecModel.KindName)
            .Owns(budgets, RecModel.Descriptor.ApiVersion, RecModel.KindName);
        c.Plans.Changed += controller.Queue.Add;
        // A pool appearing, changing price or going away changes where every model may run.
        c.Informers.For<NodePool>().Subscribe(change =>
        {
            if (EventFilters.GenerationChanged(change))
            {
                foreach (var model in models.Cache.List())
                {
                    controller.Queue.Add(ObjectKey.Of(model));
                }
            }
        });
    }

    private static InformerNodePoolSource AddNodePoolController(OperatorComposition c)
    {
        var pools = c.Informers.For<NodePool>();
        // Every node, and the models of every namespace (a pool serves them all, whatever --namespace says), from caches.
        var inputs = new InformerNodePoolSource(new LiveNodePoolSource(c.Client)).WithNodes(c.Informers.For<V1Node>()).WithModels(c.Informers.For<RecModel>());
        var reconciler = new NodePoolReconciler(c.Client, new EventRecorder(c.Client, c.Options.Identity), source: inputs);
        var controller = c.AddController(new Controller(NodePoolController, reconciler, c.Options.Controllers, c.Metrics, c.Loggers.CreateLogger(NodePoolController)))
            .Watch(pools);
        c.Informers.For<V1Node>().Subscribe(change =>
        {
            // Heartbeats update nodes constantly; only a node coming, going, relabelled or changing readiness matters.
            if (change.Type is InformerEventType.Added or InformerEventType.Deleted || NodeMatters(change.Old, change.Object))
            {
                foreach (var pool in pools.Cache.List())
                {
                    controller.Queue.Add(ObjectKey.Of(pool));
                }
            }
        });
        return inputs;
    }

    private static bool NodeMatters(V1Node? old, V1Node now) =>
        old is null
        || !(old.Metadata?.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal)
            .SequenceEqual((now.Metadata?.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal))
        || ReadyOf(old) != ReadyOf(now);

    private static string? ReadyOf(V1Node node) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == Conditions.Ready)?.Status;
}
