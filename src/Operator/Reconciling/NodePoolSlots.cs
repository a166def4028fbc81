using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// A NodePool's status from the cluster: its matching and ready nodes, how many replicas of the variants placed
/// there the ready nodes can hold (by the largest request per resource, so every variant fits; bounded by the pool's
/// capacityLimit), the same per variant sized by that variant's own requests, how many more of each variant fit beside
/// the pods already bound (whoever owns them: a pool shared by models of different sizes has room for a small replica
/// long after the largest request stopped fitting), and how many are placed. Pure.
/// </summary>
public static class NodePoolSlots
{
    /// <summary>What a kubelet allows when a node does not report allocatable pods.</summary>
    private const int DefaultMaxPods = 110;

    /// <param name="pods">
    /// The cluster's pods that may hold a node (any owner: their requests take room); those the operator placed in this
    /// pool count as allocated.
    /// </param>
    public static NodePoolStatus Compute(NodePool pool, IReadOnlyList<V1Node> nodes, IReadOnlyList<RecModel> models, IReadOnlyList<V1Pod> pods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var name = pool.Metadata?.Name ?? throw new ArgumentException("the NodePool has no name", nameof(pool));
        var matching = nodes.Where(n => Matches(pool.Spec, n)).ToList();
        var ready = matching.Where(IsReady).ToList();
        var eligible = models.SelectMany(m => m.Spec.Variants.Where(v => v.NodePools.Contains(name)).Select(v => (Model: m, Variant: v))).ToList();
        var slots = Bounded(pool.Spec, ready.Sum(n => SlotsOn(n, Largest(pool.Spec, eligible.Select(e => e.Variant)))));
        var placed = pods.Where(p => p.Metadata?.Labels is { } labels
            && labels.TryGetValue(ChildLabels.Pool, out var podPool) && podPool == name
            && labels.TryGetValue(ChildLabels.ManagedBy, out var manager) && manager == ChildLabels.Manager
            && PodResources.HoldsNode(p)).ToList();
        var allocated = placed.Count;
        var inUse = PodResources.InUseByNode(pods);
        var podsOn = pods.Where(PodResources.HoldsNode).GroupBy(p => p.Spec!.NodeName!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var limitLeft = pool.Spec.CapacityLimit is { } limit ? Math.Max(0, limit - allocated) : int.MaxValue;
        var perVariant = eligible
            .Select(e => new NodePoolVariantSlots
            {
                Model = ObjectKey.Of(e.Model).ToString(),
                Variant = e.Variant.Name,
                Slots = Bounded(pool.Spec, ready.Sum(n => SlotsOn(n, Largest(pool.Spec, [e.Variant])))),
                Free = Math.Min(limitLeft, ready.Sum(n => SlotsOn(n, Largest(pool.Spec, [e.Variant]),
                    inUse.GetValueOrDefault(n.Metadata?.Name ?? ""), podsOn.GetValueOrDefault(n.Metadata?.Name ?? "")))),
            })
            .OrderBy(v => v.Model, StringComparer.Ordinal).ThenBy(v => v.Variant, StringComparer.Ordinal)
            .ToList();

        var generation = pool.Metadata.Generation;
        var condition = ready.Count > 0
            ? Conditions.Make(Conditions.Ready, true, "NodesReady", $"{ready.Count} of {matching.Count} matching nodes are ready", generation, now)
            : Conditions.Make(Conditions.Ready, false, "NoReadyNodes", $"no ready node matches the nodeSelector ({matching.Count} match)", generation, now);
        return new NodePoolStatus
        {
            ObservedGeneration = generation,
            Nodes = matching.Count,
            ReadyNodes = ready.Count,
            AllocatableSlots = slots,
            AllocatedSlots = allocated,
            VariantSlots = perVariant,
            Conditions = Conditions.Set(Conditions.Set(pool.Status?.Conditions ?? [], condition), OverLimit(pool.Spec, placed, generation, now)),
        };
    }

    // Nothing moves replicas out by itself when several models share the excess (each keeps the slots it holds), so
    // the pool says so, naming who holds them; no new replica is placed there meanwhile.
    private static V1Condition OverLimit(NodePoolSpec spec, IReadOnlyList<V1Pod> placed, long? generation, DateTimeOffset now)
    {
        if (spec.CapacityLimit is not { } limit || placed.Count <= limit)
        {
            return Conditions.Make(Conditions.OverCapacityLimit, false, "WithinLimit",
                spec.CapacityLimit is { } set ? $"{placed.Count} of {set} slots allocated" : "the pool has no capacityLimit", generation, now);
        }

        var holders = placed
            .GroupBy(p => $"{p.Metadata?.Namespace}/{(p.Metadata?.Labels is { } labels && labels.TryGetValue(ChildLabels.Model, out var model) ? model : "")}", StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count()}");
        return Conditions.Make(Conditions.OverCapacityLimit, true, "CapacityLimitExceeded",
            $"{placed.Count} replicas are placed and capacityLimit is {limit} ({string.Join(", ", holders)}); no new replica is placed here until they are fewer",
            generation, now);
    }

    /// <summary>Whether the pool's nodeSelector selects the node (every label given, with that value).</summary>
    public static bool Matches(NodePoolSpec spec, V1Node node) =>
        spec.NodeSelector.All(s => node.Metadata?.Labels is { } labels && labels.TryGetValue(s.Key, out var value) && value == s.Value);

    /// <summary>Whether the node can take replicas: Ready and not cordoned.</summary>
    public static bool IsReady(V1Node node) =>
        node.Spec?.Unschedulable != true && node.Status?.Conditions?.Any(c => c.Type == Conditions.Ready && c.Status == Conditions.True) == true;

    private static int Bounded(NodePoolSpec spec, int slots) => spec.CapacityLimit is { } limit ? Math.Min(slots, limit) : slots;

    // Per resource, the largest request of the given variants, plus one accelerator on Gpu/Asic pools.
    private static Dictionary<string, decimal> Largest(NodePoolSpec spec, IEnumerable<VariantSpec> variants)
    {
        var request = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var variant in variants)
        {
            foreach (var (resource, quantity) in variant.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>())
            {
                request[resource] = Math.Max(request.GetValueOrDefault(resource), quantity.Value);
            }
        }

        if (spec.Hardware != Hardware.Cpu && spec.AcceleratorResourceName is { } accelerator)
        {
            request[accelerator] = Math.Max(request.GetValueOrDefault(accelerator), 1);
        }

        return request;
    }

    /// <summary>Replicas of the request the node holds, beside what is already in use there (nothing by default: its whole size).</summary>
    private static int SlotsOn(V1Node node, Dictionary<string, decimal> request, Dictionary<string, decimal>? inUse = null, int podsThere = 0)
    {
        var allocatable = node.Status?.Allocatable ?? new Dictionary<string, ResourceQuantity>();
        var slots = (allocatable.TryGetValue("pods", out var pods) ? (int)pods.Value : DefaultMaxPods) - podsThere;
        foreach (var (resource, amount) in request.Where(r => r.Value > 0))
        {
            var available = (allocatable.TryGetValue(resource, out var quantity) ? quantity.Value : 0) - (inUse?.GetValueOrDefault(resource) ?? 0);
            slots = Math.Min(slots, (int)Math.Floor(Math.Max(0, available) / amount));
        }

        return Math.Max(0, slots);
    }
}
