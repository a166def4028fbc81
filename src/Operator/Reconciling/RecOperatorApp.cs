using Microsoft.Extensions.Logging;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Assembles the operator: informers for RecModels, NodePools, Nodes, Pods and the owned kinds; the RecModel
/// controller (spec changes, owned-object changes, NodePool changes, plan changes and changes of its pods' problems
/// enqueue a model) and the NodePool
/// controller (reading the pool, nodes, models and pods from those caches, and woken by the changes of those that concern a
/// pool); then whatever <c>extend</c> adds (the autoscaler),
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
        var models = AddRecModelController(composition);
        var poolInputs = AddNodePoolController(composition);
        extend?.Invoke(composition);
        // Chosen after extend, so the pods are watched once where possible: the models read (and are woken by) every pod
        // of their namespace, from the autoscaler's informer where it runs; the pools share that informer when it
        // covers every namespace (finished pods left out when read), else watch the unfinished pods of every namespace.
        models.WithPods(informers.Covering<V1Pod>(options.Namespace, null));
        poolInputs.WithPods(informers.Covering<V1Pod>(null, NodePoolPods.FieldSelector));
        var host = new OperatorHost(client, informers, composition.Controllers, metrics, options.Host, loggers, composition.Loops);
        composition.IsLeading = () => host.IsLeader;
        return host;
    }

    private static RecModelWiring AddRecModelController(OperatorComposition c)
    {
        var ns = c.Options.Namespace;
        var events = OperatorEvents.Recorder(c.Client, c.Options.Identity);
        var (deployments, services, budgets) = (c.Informers.For<V1Deployment>(ns), c.Informers.For<V1Service>(ns), c.Informers.For<V1PodDisruptionBudget>(ns));
        // The owned kinds and the NodePools are watched anyway: the reconciler reads them from those caches.
        var children = new InformerChildSource(new LiveChildSource(c.Client)).With(deployments).With(services).With(budgets).WithPools(c.Informers.For<NodePool>());
        var reconciler = new RecModelReconciler(c.Client, c.Plans, c.Options.Images, events, c.Loggers.CreateLogger<RecModelReconciler>(), children: children,
            unsettledRecheck: c.Options.UnsettledModelRecheck);
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
        return new RecModelWiring(children, controller);
    }

    /// <summary>What the RecModel controller still needs once the pod informer is chosen (after <c>extend</c>).</summary>
    private sealed record RecModelWiring(InformerChildSource Children, Controller Controller)
    {
        public void WithPods(SharedInformer<V1Pod> pods)
        {
            Children.WithPods(pods);
            pods.Subscribe(change =>
            {
                if (ModelPodWakeups.ModelOf(change) is { } model)
                {
                    Controller.Queue.AddAfter(model, ModelPodWakeups.Delay);
                }
            });
        }
    }

    private static NodePoolWiring AddNodePoolController(OperatorComposition c)
    {
        var (pools, nodes, models) = (c.Informers.For<NodePool>(), c.Informers.For<V1Node>(), c.Informers.For<RecModel>());
        // The pool, every node, and the models of every namespace (a pool serves them all, whatever --namespace says),
        // from caches.
        var inputs = new InformerNodePoolSource(new LiveNodePoolSource(c.Client)).WithPools(pools).WithNodes(nodes).WithModels(models);
        var reconciler = new NodePoolReconciler(c.Client, OperatorEvents.Recorder(c.Client, c.Options.Identity), source: inputs, recheck: c.Options.NodePoolRecheck);
        // Every change of the pool, its own status writes included: the pass reads only caches, so the extra pass costs
        // no request, and it checks the status once more against a cache that now holds the last write.
        var controller = c.AddController(new Controller(NodePoolController, reconciler, c.Options.Controllers, c.Metrics, c.Loggers.CreateLogger(NodePoolController)))
            .Watch(pools, _ => true);
        var wiring = new NodePoolWiring(inputs, controller, pools, nodes);
        nodes.Subscribe(change => wiring.Wake(NodePoolWakeups.ForNode(change, pools.Cache.List())));
        models.Subscribe(change => wiring.Wake(NodePoolWakeups.ForModel(change)));
        return wiring;
    }

    /// <summary>What the NodePool controller still needs once the pod informer is chosen (after <c>extend</c>).</summary>
    private sealed record NodePoolWiring(InformerNodePoolSource Inputs, Controller Controller, SharedInformer<NodePool> Pools, SharedInformer<V1Node> Nodes)
    {
        public void WithPods(SharedInformer<V1Pod> pods)
        {
            Inputs.WithPods(pods);
            pods.Subscribe(change => Wake(NodePoolWakeups.ForPod(change, name => Nodes.Cache.Get(new ObjectKey("", name)), Pools.Cache.List())));
        }

        // The work queue holds a key once, so a burst of changes on one pool's nodes is one reconcile.
        public void Wake(IReadOnlyList<string> pools)
        {
            foreach (var pool in pools)
            {
                Controller.Queue.Add(new ObjectKey("", pool));
            }
        }
    }
}
