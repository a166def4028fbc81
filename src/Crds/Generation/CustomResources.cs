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
            Column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "Whether every variant is serving within its SLO."),
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
        ]);

    public static IReadOnlyList<CustomResourceInfo> All { get; } = [RecModel, NodePool];

    private static V1CustomResourceColumnDefinition Column(string name, string type, string jsonPath, string? description) =>
        new() { Name = name, Type = type, JsonPath = jsonPath, Description = description };
}
