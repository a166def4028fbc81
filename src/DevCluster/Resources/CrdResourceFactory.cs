using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Resources;

/// <summary>Turns a stored CustomResourceDefinition into the resource types it serves (one per served version).</summary>
public static class CrdResourceFactory
{
    public static IReadOnlyList<ResourceType> FromCrd(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? throw new ArgumentException("CRD has no spec", nameof(crd));
        var group = JsonTree.GetString(spec, "group") ?? "";
        var names = spec["names"] as JsonObject ?? new JsonObject();
        var plural = JsonTree.GetString(names, "plural") ?? "";
        var kind = JsonTree.GetString(names, "kind") ?? "";
        var namespaced = JsonTree.GetString(spec, "scope") != "Cluster";
        var versions = (spec["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => v["served"]?.GetValue<bool>() != false).ToList();
        var servedNames = versions.Select(v => JsonTree.GetString(v, "name") ?? "").ToList();
        return versions.Select(v => new ResourceType(group, JsonTree.GetString(v, "name") ?? "", kind, plural, namespaced)
        {
            Singular = JsonTree.GetString(names, "singular") ?? kind.ToLowerInvariant(),
            ShortNames = Strings(names["shortNames"]),
            Categories = Strings(names["categories"]),
            HasStatus = JsonTree.Get(v, "subresources.status") is not null,
            Scale = ScaleOf(JsonTree.Get(v, "subresources.scale") as JsonObject),
            PrinterColumns = ColumnsOf(v["additionalPrinterColumns"] as JsonArray),
            Schema = JsonTree.Get(v, "schema.openAPIV3Schema") as JsonObject,
            IsCustom = true,
            TracksGeneration = true,
            // selectableFields (GA in 1.32): each jsonPath is a field selector label of its own path.
            SelectableFields = (v["selectableFields"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(f => Dotted(JsonTree.GetString(f, "jsonPath") ?? "")).Where(f => f.Length > 0).Distinct()
                .ToDictionary(f => f, f => f, StringComparer.Ordinal),
            ServedVersions = servedNames,
        }).ToList();
    }

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "").Where(s => s.Length > 0).ToList();

    private static ScaleSubresource? ScaleOf(JsonObject? scale) => scale is null ? null : new ScaleSubresource(
        Dotted(JsonTree.GetString(scale, "specReplicasPath") ?? ".spec.replicas"),
        Dotted(JsonTree.GetString(scale, "statusReplicasPath") ?? ".status.replicas"),
        JsonTree.GetString(scale, "labelSelectorPath") is { } selector ? Dotted(selector) : null);

    private static string Dotted(string jsonPath) => jsonPath.TrimStart('.');

    /// <summary>With no additionalPrinterColumns the real server prints an Age column.</summary>
    private static IReadOnlyList<PrinterColumn> ColumnsOf(JsonArray? columns)
    {
        if (columns is null || columns.Count == 0)
        {
            return [new PrinterColumn("Age", "date", ".metadata.creationTimestamp")];
        }
        return columns.OfType<JsonObject>().Select(c => new PrinterColumn(
            JsonTree.GetString(c, "name") ?? "", JsonTree.GetString(c, "type") ?? "string", JsonTree.GetString(c, "jsonPath"))
        {
            Description = JsonTree.GetString(c, "description") ?? "",
            Priority = (int)(JsonTree.GetLong(c, "priority") ?? 0),
            Format = JsonTree.GetString(c, "format") ?? "",
        }).ToList();
    }
}
