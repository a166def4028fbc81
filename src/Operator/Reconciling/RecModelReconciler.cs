using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Crds.Validation;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Level-based reconcile of one RecModel: validate, place (plan, else observation, else minimums), apply the desired
/// children with server-side apply, prune the rest (but a pool a variant is leaving only once its replacement serves,
/// <see cref="PoolDeparture"/>), publish routing weights, then write status and events. It reads the
/// model from the API server each time, and its children, its pods and the NodePools from <paramref name="children"/>
/// (the informer caches in the running operator, the API server by default), so a restart or a concurrent writer only
/// ever delays convergence.
/// </summary>
public sealed partial class RecModelReconciler(
    KubeApiClient client, IFleetPlanSource plans, OperatorImages images, EventRecorder events, ILogger logger, TimeProvider? timeProvider = null,
    IChildSource? children = null, TimeSpan? unsettledRecheck = null)
    : IReconciler
{
    /// <summary>
    /// While a model is not settled it is looked at again after this long: a safety net for what no watched change
    /// announces (a FailedMount Event, another owner letting go of a name).
    /// </summary>
    public static readonly TimeSpan UnsettledRecheck = TimeSpan.FromSeconds(15);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ChildWriter _writer = new(client);
    private readonly IChildSource _children = children ?? new LiveChildSource(client);
    private readonly RoutingApiProbe _probe = new(client, timeProvider);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var model = await client.For<RecModel>().TryGetAsync(key.Name, key.Namespace, cancellationToken).ConfigureAwait(false);
        if (model is null || model.Metadata?.DeletionTimestamp is not null)
        {
            // Owner references let the garbage collector remove the children; nothing to do here.
            return ReconcileResult.Done;
        }

        var errors = ResourceValidator.Validate(model);
        if (errors.Count > 0)
        {
            var messages = errors.Select(e => e.ToString()).ToList();
            await WriteStatusAsync(model, RecModelStatusBuilder.Invalid(model, messages, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            await events.RecordAsync(model, EventRecorder.Warning, Conditions.InvalidSpec, "Validate", string.Join("; ", messages), cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Terminal($"invalid spec: {string.Join("; ", messages)}");
        }

        var sync = new RecModelChildSync(client, _writer, _children);
        var (name, ns, _) = RecModelChildSync.Identity(model);
        var listedPools = await _children.PoolsAsync(cancellationToken).ConfigureAwait(false);
        var pools = listedPools.ToDictionary(p => p.Key, p => p.Value.Spec, StringComparer.Ordinal);
        var existing = await _children.ChildrenAsync<V1Deployment>(model, cancellationToken).ConfigureAwait(false);
        var plan = plans.Get(key);
        // A new variant's minimum takes only the slots other models leave free (own replicas are not counted back: the
        // model's other variants keep theirs).
        var room = PoolCandidates.Build(listedPools.Values, key, new Dictionary<string, int>()).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var placements = PlacementResolver.Resolve(model, pools, plan, ObservedReplicas(existing, model.Metadata!.Uid!), room);
        var desired = DesiredStateBuilder.Build(model, placements, images);
        var leaving = PoolDeparture.Retained(model, pools, placements, existing, plan);

        var deployments = await sync.SyncAsync(model, WithReplicas(desired.Deployments, placements), existing, cancellationToken, leaving.Select(l => l.Name)).ConfigureAwait(false);
        var services = await sync.SyncAsync(model, desired.Services, cancellationToken).ConfigureAwait(false);
        // A kept Deployment keeps its budget: its pods are what serves the variant until the replacements are ready, so a
        // node drain in the leaving pool must not evict them all at once meanwhile.
        var budgets = await sync.SyncAsync(model, desired.PodDisruptionBudgets, null, cancellationToken,
            leaving.Select(l => ChildNames.PodDisruptionBudget(name, l.Key.Variant, l.Key.Pool))).ConfigureAwait(false);
        var conflicts = deployments.Conflicts.Concat(services.Conflicts).Concat(budgets.Conflicts).ToList();
        var routable = Routable(name, placements, conflicts);
        var weights = plan?.TrafficWeights is { Count: > 0 } shares
            ? RoutingWeights.FromShares(shares, routable.Select(p => p.Variant.Name))
            : RoutingWeights.FromReplicas(routable);
        var routing = await new RecModelRouting(client, _writer, sync, _probe).SyncAsync(model, weights, cancellationToken).ConfigureAwait(false);
        conflicts.AddRange(routing.Conflicts);

        var pods = await _children.PodsAsync(model, cancellationToken).ConfigureAwait(false);
        var mountEvents = WorkloadProblems.AnyContainerCreating(pods) ? await FailedMountEventsAsync(ns, cancellationToken).ConfigureAwait(false) : [];
        var observation = new RecModelObservation(placements, deployments.Applied, WorkloadProblems.Find(pods, deployments.Applied, mountEvents), plan)
        {
            HardwareMismatches = HardwareFit.Mismatches(model, pools),
            Conflicts = conflicts,
            MissingPools = NodePoolReferences.Missing(model, pools),
            Leaving = leaving,
            ShortOfRoom = PlacementResolver.ShortOfRoom(model, pools, placements, room),
        };
        var status = RecModelStatusBuilder.Build(model, observation, _time.GetUtcNow());
        await WriteStatusAsync(model, status, cancellationToken).ConfigureAwait(false);

        var changes = deployments.Changes.Concat(services.Changes).Concat(budgets.Changes).Concat(routing.Changes).ToList();
        await RecordEventsAsync(model, changes, status, cancellationToken).ConfigureAwait(false);

        // A name conflict ends when the other object goes away, and that object's events wake its own owner, not this
        // model: so it is looked at again, as an unsettled model is (reads only, nothing is written while it lasts).
        return IsSettled(status) && conflicts.Count == 0 ? ReconcileResult.Done : ReconcileResult.RequeueAfter(unsettledRecheck ?? UnsettledRecheck);
    }

    // Traffic goes only through this model's own objects: no weights at all while another owner holds the model Service
    // (the routes' parent, the ConfigMap's route-for), none to a variant whose Service is held (it would reach the other
    // owner's pods), and none for a placement whose Deployment is held (it has no pods of this model).
    private static List<VariantPlacement> Routable(string model, IReadOnlyList<VariantPlacement> placements, List<ChildConflict> conflicts)
    {
        var taken = conflicts.Select(c => (c.Kind, c.Name)).ToHashSet();
        if (taken.Contains((V1Service.Descriptor.Kind, ChildNames.ModelService(model))))
        {
            return [];
        }

        return [.. placements.Where(p => !taken.Contains((V1Service.Descriptor.Kind, ChildNames.VariantService(model, p.Variant.Name)))
            && !taken.Contains((V1Deployment.Descriptor.Kind, ChildNames.Deployment(model, p.Variant.Name, p.PoolName))))];
    }

    // A real kubelet says why a volume cannot be mounted only in an Event on the pod; listed only while some pod of
    // the model waits in ContainerCreating, and by reason, so a healthy model costs no extra request.
    private async Task<List<CoreV1Event>> FailedMountEventsAsync(string ns, CancellationToken cancellationToken)
    {
        var events = new List<CoreV1Event>();
        var options = new ListOptions { FieldSelector = $"involvedObject.kind=Pod,reason={WorkloadProblems.FailedMountReason}", Limit = 500 };
        await foreach (var item in client.For<CoreV1Event>().ListAllAsync(ns, options, cancellationToken).ConfigureAwait(false))
        {
            events.Add(item);
        }

        return events;
    }

    private static Dictionary<PlacementKey, int> ObservedReplicas(IEnumerable<V1Deployment> deployments, string modelUid) =>
        deployments
            .Where(d => OwnedChildren.IsControlledBy(d.Metadata, modelUid))
            .GroupBy(d => OwnedChildren.PlacementOf(d.Metadata))
            .ToDictionary(g => g.Key, g => g.Sum(d => d.Spec?.Replicas ?? 1));

    // The builder leaves replicas out (they are the autoscaler's); the reconciler is the single writer and applies
    // exactly what the plan or the observation says, so it never resets them.
    private static List<V1Deployment> WithReplicas(IReadOnlyList<V1Deployment> deployments, IReadOnlyList<VariantPlacement> placements) =>
        deployments.Zip(placements, (d, p) => d with { Spec = d.Spec! with { Replicas = p.Replicas } }).ToList();

    private async Task WriteStatusAsync(RecModel model, RecModelStatus status, CancellationToken cancellationToken)
    {
        var wanted = JsonSerializer.SerializeToNode(status, Crds.CrdsJsonContext.Default.RecModelStatus)!;
        var current = model.Status is null ? null : JsonSerializer.SerializeToNode(model.Status, Crds.CrdsJsonContext.Default.RecModelStatus);
        if (JsonNode.DeepEquals(wanted, current))
        {
            return;
        }

        var intent = new JsonObject
        {
            ["apiVersion"] = RecModel.Descriptor.ApiVersion,
            ["kind"] = RecModel.KindName,
            ["metadata"] = new JsonObject { ["name"] = model.Metadata!.Name, ["namespace"] = model.Metadata.Namespace },
            ["status"] = wanted,
        };
        await client.For<RecModel>().PatchStatusAsync(model.Metadata.Name!, KubePatch.Apply(intent, ChildWriter.FieldManager, force: true), model.Metadata.Namespace, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordEventsAsync(RecModel model, List<string> changes, RecModelStatus status, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            LogChange(logger, model.Metadata!.Namespace ?? "", model.Metadata.Name!, change);
            await events.RecordAsync(model, EventRecorder.Normal, change.Split(' ')[0], "Reconcile", change, cancellationToken).ConfigureAwait(false);
        }

        var before = model.Status?.Conditions ?? [];
        foreach (var condition in status.Conditions.Where(c => c.Type is Conditions.Ready or Conditions.Degraded))
        {
            var old = before.FirstOrDefault(c => c.Type == condition.Type);
            if (old?.Status == condition.Status && old.Reason == condition.Reason)
            {
                continue;
            }

            var warning = condition is { Type: Conditions.Degraded, Status: Conditions.True };
            if (warning)
            {
                LogDegraded(logger, model.Metadata!.Namespace ?? "", model.Metadata.Name!, condition.Reason, condition.Message);
            }

            if (warning || condition is { Type: Conditions.Ready, Status: Conditions.True })
            {
                await events.RecordAsync(model, warning ? EventRecorder.Warning : EventRecorder.Normal, condition.Reason, "Reconcile", condition.Message, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsSettled(RecModelStatus status) =>
        status.Conditions.Any(c => c is { Type: Conditions.Ready, Status: Conditions.True })
        && !status.Conditions.Any(c => c is { Type: Conditions.Progressing, Status: Conditions.True });

    [LoggerMessage(Level = LogLevel.Information, Message = "RecModel {Namespace}/{Name}: {Change}")]
    private static partial void LogChange(ILogger logger, string @namespace, string name, string change);

    // Once, when the model turns Degraded (or its reason changes): a problem that lasts is not logged per reconcile.
    [LoggerMessage(Level = LogLevel.Warning, Message = "RecModel {Namespace}/{Name} is degraded ({Reason}): {Detail}")]
    private static partial void LogDegraded(ILogger logger, string @namespace, string name, string reason, string detail);
}
