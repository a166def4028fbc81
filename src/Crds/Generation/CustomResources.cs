using RecOperator.Kube.Models;

namespace RecOperator.Crds.Generation;

/// <summary>The project's custom resources and what `kubectl get` shows for each.</summary>
public static class CustomResources
{
    public static CustomResourceInfo RecModel { get; } = new(
        typeof(Crds.RecModel),
        Crds.RecModel.Descriptor,
        Singular: "recmodel",
        ShortNames: ["rm"],
        PrinterColumns:
        [
            Column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "Whether every desired replica is ready (the Ready condition); the SLO is the SLOAtRisk condition's."),
            Column("Replicas", "integer", ".status.replicas", "Replicas over all variants and pools."),
            Column("QPS", "number", ".status.qps", "Measured requests per second."),
            Column("P99", "number", ".status.p99LatencyMs", "Worst variant p99 latency in milliseconds."),
            Column("Age", "date", ".metadata.creationTimestamp", null),
        ]);

    public static CustomResourceInfo NodePool { get; } = new(
        typeof(Crds.NodePool),
        Crds.NodePool.Descriptor,
        Singular: "nodepool",
        ShortNames: ["np"],
        PrinterColumns:
        [
            Column("Hardware", "string", ".spec.hardware", "Hardware of the pool's nodes."),
            Column("Cost", "number", ".spec.costPerReplicaHour", "Price of one replica per hour."),
            Column("Allocated", "integer", ".status.allocatedSlots", "Replica slots in use."),
            Column("Age", "date", ".metadata.creationTimestamp", null),
            Column("Nodes", "integer", ".status.nodes", "Nodes the nodeSelector matches.", priority: 1),
            Column("Ready Nodes", "integer", ".status.readyNodes", "Of those, nodes that are Ready.", priority: 1),
            Column("Allocatable", "integer", ".status.allocatableSlots", "Replica slots the ready nodes can hold, bounded by capacityLimit.", priority: 1),
        ]);

    public static IReadOnlyList<CustomResourceInfo> All { get; } = [RecModel, NodePool];

    // Priority 1 columns show with `kubectl get -o wide` only.
    private static V1CustomResourceColumnDefinition Column(string name, string type, string jsonPath, string? description, int priority = 0) =>
        new() { Name = name, Type = type, JsonPath = jsonPath, Description = description, Priority = priority == 0 ? null : priority };
}
