using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Patching;

/// <summary>
/// `metadata.managedFields`: which manager owns which fields, per operation (Apply or Update) and
/// subresource. Updates move the fields they change to their manager; apply claims exactly what it sends.
/// </summary>
public sealed record ManagedFields(string Manager, string Operation, string ApiVersion, string Time, string? Subresource, HashSet<string> Fields)
{
    public static List<ManagedFields> Read(JsonObject obj) =>
        (JsonTree.Get(obj, "metadata.managedFields") as JsonArray ?? []).OfType<JsonObject>().Select(e => new ManagedFields(
            JsonTree.GetString(e, "manager") ?? "", JsonTree.GetString(e, "operation") ?? "Update", JsonTree.GetString(e, "apiVersion") ?? "",
            JsonTree.GetString(e, "time") ?? "", JsonTree.GetString(e, "subresource"), FieldSet.FromFieldsV1(e["fieldsV1"] as JsonObject))).ToList();

    public static void Write(JsonObject obj, IEnumerable<ManagedFields> entries)
    {
        var array = new JsonArray();
        foreach (var entry in entries.Where(e => e.Fields.Count > 0))
        {
            var node = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
                ["time"] = entry.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldSet.ToFieldsV1(entry.Fields),
            };
            if (entry.Subresource is not null)
            {
                node["subresource"] = entry.Subresource;
            }
            array.Add(node);
        }
        if (array.Count == 0)
        {
            // Like any empty metadata list, no entries is no field (see ObjectRules.OmitEmptyMetadata).
            JsonTree.Metadata(obj).Remove("managedFields");
            return;
        }
        JsonTree.Metadata(obj)["managedFields"] = array;
    }

    /// <summary>Records a create or update by a non-apply manager: it takes over every field whose value it changed.</summary>
    public static void RecordUpdate(JsonObject? old, JsonObject updated, string manager, string? subresource, string apiVersion, string time, ListMapKeys keys)
    {
        var statusOnly = subresource == "status";
        var entries = old is null ? [] : Read(old);
        var newLeaves = FieldSet.Leaves(updated, statusOnly, keys);
        var changed = old is null
            ? newLeaves
            : newLeaves.Where(p => !JsonNode.DeepEquals(FieldSet.ValueAt(old, p), FieldSet.ValueAt(updated, p))).ToHashSet();
        var live = FieldSet.Leaves(updated, false, keys).Concat(FieldSet.Leaves(updated, true, keys)).ToHashSet();
        foreach (var entry in entries)
        {
            entry.Fields.ExceptWith(changed);
            entry.Fields.IntersectWith(live);
        }
        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Update" && e.Subresource == subresource);
        if (mine is null)
        {
            mine = new ManagedFields(manager, "Update", apiVersion, time, subresource, []);
            entries.Add(mine);
        }
        if (changed.Count == 0)
        {
            // A write that changes nothing leaves the entries as they were, time included, so the object stays the same
            // and the store writes nothing (no new resourceVersion, no MODIFIED event), as on the real server: a
            // controller that PUTs an unchanged object must not wake itself (or anyone watching) up again.
            Write(updated, entries);
            return;
        }
        mine.Fields.UnionWith(changed);
        entries[entries.IndexOf(mine)] = mine with { Time = time, ApiVersion = apiVersion };
        Write(updated, entries);
    }
}
