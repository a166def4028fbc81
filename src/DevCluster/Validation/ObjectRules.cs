using System.Globalization;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The generic registry's rules for object metadata on create and update: names, uid, creationTimestamp,
/// generation (bumped only by changes outside metadata and status), status subresource isolation, no new finalizers
/// while deleting, uid preconditions.
/// </summary>
public static class ObjectRules
{
    private const int MaxAnnotationBytes = 256 * 1024;

    public static string Timestamp(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static List<FieldError> ValidateMetadata(ResourceType type, JsonObject obj)
    {
        var errors = new List<FieldError>();
        var name = JsonTree.GetString(obj, "metadata.name");
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else if (NameProblem(type, name) is { } problem)
        {
            errors.Add(FieldError.Invalid("metadata.name", $"\"{name}\"", problem));
        }
        foreach (var (key, value) in JsonTree.Labels(obj))
        {
            if (!NameRules.IsLabelValue(value))
            {
                errors.Add(FieldError.Invalid($"metadata.labels", $"\"{value}\"", $"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.' (label {key})"));
            }
        }
        errors.AddRange(KeyErrors(obj));
        return errors;
    }

    /// <summary>
    /// What is wrong with an object's name, in the real server's words, or null: a Namespace's is an RFC 1123 label, a
    /// Service's an RFC 1035 label (it becomes a DNS name, so it starts with a letter), an RBAC object's any path segment
    /// (the default roles are named system:discovery and the like), any other an RFC 1123 subdomain.
    /// </summary>
    private static string? NameProblem(ResourceType type, string name) => type switch
    {
        { Group: "rbac.authorization.k8s.io" } => name is "." or ".." ? $"may not be '{name}'"
            : name.Contains('/', StringComparison.Ordinal) ? "may not contain '/'"
            : name.Contains('%', StringComparison.Ordinal) ? "may not contain '%'" : null,
        { Kind: "Namespace", Group: "" } => NameRules.IsDnsLabel(name) ? null
            : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        { Kind: "Service", Group: "" } => NameRules.IsDns1035Label(name) ? null
            : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        _ => NameRules.IsDnsSubdomain(name) ? null
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    };

    /// <summary>
    /// What an update may not do to metadata that a create may: add a finalizer to an object being deleted (it could
    /// hold the object forever; the real server refuses it in the same words).
    /// </summary>
    public static IEnumerable<FieldError> ValidateMetadataUpdate(JsonObject old, JsonObject updated)
    {
        if (JsonTree.Get(old, "metadata.deletionTimestamp") is null)
        {
            yield break;
        }
        var before = Finalizers(old).ToHashSet(StringComparer.Ordinal);
        var added = Finalizers(updated).Where(f => !before.Contains(f)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            var list = "[]string{" + string.Join(", ", added.Select(GoText.Quote)) + "}";
            yield return new FieldError("metadata.finalizers", "FieldValueForbidden", $"no new finalizers can be added if the object is being deleted, found new finalizers {list}");
        }
    }

    /// <summary>
    /// A PUT carries the object it was read from: a uid that is not the stored one means that object was deleted and
    /// another made under its name, so the write is refused as the storage layer refuses a failed uid precondition (409).
    /// </summary>
    public static void CheckUpdateUid(ResourceType type, string name, JsonObject incoming, JsonObject current) =>
        CheckPreconditions(type, name, current, JsonTree.GetString(incoming, "metadata.uid"), null);

    /// <summary>
    /// A patch that changes the uid (only a put's body can carry a stale one, refused above) is 422 as the real
    /// ObjectMeta update validation has it.
    /// </summary>
    public static FieldError? UidChange(JsonObject old, JsonObject incoming) =>
        JsonTree.GetString(incoming, "metadata.uid") is { Length: > 0 } uid && uid != JsonTree.GetString(old, "metadata.uid")
            ? FieldError.Invalid("metadata.uid", GoText.Quote(uid), "field is immutable")
            : null;

    private static IEnumerable<string> Finalizers(JsonObject obj) =>
        (JsonTree.Get(obj, "metadata.finalizers") as JsonArray ?? []).Select(JsonTree.ScalarText).OfType<string>();

    /// <summary>
    /// Label and annotation keys, the annotations' total size, finalizer names and the required fields of owner
    /// references, as the real ObjectMeta validation checks them (types were checked before, by the typed decode in Admission).
    /// </summary>
    private static IEnumerable<FieldError> KeyErrors(JsonObject obj)
    {
        foreach (var field in new[] { "labels", "annotations" })
        {
            foreach (var key in (JsonTree.Get(obj, $"metadata.{field}") as JsonObject ?? []).Select(p => p.Key))
            {
                if (NameRules.QualifiedNameProblem(key) is { } problem)
                {
                    yield return FieldError.Invalid($"metadata.{field}", $"\"{key}\"", problem);
                }
            }
        }
        var annotationBytes = (JsonTree.Get(obj, "metadata.annotations") as JsonObject ?? [])
            .Sum(p => System.Text.Encoding.UTF8.GetByteCount(p.Key) + System.Text.Encoding.UTF8.GetByteCount(JsonTree.ScalarText(p.Value) ?? ""));
        if (annotationBytes > MaxAnnotationBytes)
        {
            yield return new FieldError("metadata.annotations", "FieldValueTooLong", $"must have at most {MaxAnnotationBytes} bytes");
        }
        var finalizers = JsonTree.Get(obj, "metadata.finalizers") as JsonArray ?? [];
        for (var i = 0; i < finalizers.Count; i++)
        {
            if (JsonTree.ScalarText(finalizers[i]) is { } finalizer && NameRules.QualifiedNameProblem(finalizer) is { } problem)
            {
                yield return FieldError.Invalid($"metadata.finalizers[{i}]", $"\"{finalizer}\"", problem);
            }
        }
        foreach (var reference in (JsonTree.Get(obj, "metadata.ownerReferences") as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var (field, what) in new[] { ("apiVersion", "version"), ("kind", "kind"), ("name", "name"), ("uid", "uid") })
            {
                if (string.IsNullOrEmpty(JsonTree.GetString(reference, field)))
                {
                    yield return FieldError.Invalid($"metadata.ownerReferences.{field}", "\"\"", $"{what} must not be empty");
                }
            }
        }
    }

    /// <summary>
    /// Server-owned fields of a new object. Status is dropped where a status subresource owns it (a Node keeps the one
    /// its kubelet registers with; a pod and a namespace get the server's).
    /// </summary>
    private static readonly string[] OmittedWhenEmpty = ["labels", "annotations", "finalizers", "ownerReferences", "managedFields"];

    /// <summary>
    /// Drops the metadata lists and maps that are empty, as the real server's encoder does (they are `omitempty` in
    /// ObjectMeta): `finalizers: []` after the last finalizer went is stored as no finalizers, so clients read the same
    /// object from either server.
    /// </summary>
    public static void OmitEmptyMetadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject meta)
        {
            return;
        }
        foreach (var key in OmittedWhenEmpty)
        {
            if (meta[key] is JsonArray { Count: 0 } or JsonObject { Count: 0 })
            {
                meta.Remove(key);
            }
        }
    }

    public static void PrepareCreate(ResourceType type, JsonObject obj, DateTimeOffset now)
    {
        OmitEmptyMetadata(obj);
        var meta = JsonTree.Metadata(obj);
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Timestamp(now);
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("resourceVersion");
        if (type.TracksGeneration)
        {
            meta["generation"] = 1;
        }
        else
        {
            meta.Remove("generation");
        }
        if (type.HasStatus && type.Kind != "Node")
        {
            obj.Remove("status");
        }
        if (NamespaceRules.Applies(type))
        {
            NamespaceRules.PrepareCreate(obj);
        }
        if (type.Kind == "Pod" && type.Group.Length == 0)
        {
            obj["status"] = PodCreateStatus.For(obj, now);
        }
    }

    /// <summary>
    /// Merges what a client sent onto the stored object for a main-resource or status update: immutable
    /// metadata is kept, the half the request may not touch is copied from the old object, and generation
    /// moves only when something outside metadata and status changed.
    /// </summary>
    public static JsonObject PrepareUpdate(ResourceType type, JsonObject old, JsonObject incoming, string? subresource)
    {
        JsonObject result;
        if (subresource == "finalize")
        {
            result = JsonTree.Clone(old);
            JsonTree.Set(result, "spec.finalizers", JsonTree.Get(incoming, "spec.finalizers")?.DeepClone() ?? new JsonArray());
        }
        else if (subresource == "status")
        {
            result = JsonTree.Clone(old);
            result["status"] = incoming["status"]?.DeepClone();
            if (type.Kind == "Pod" && type.Group.Length == 0)
            {
                PodQos.Backfill(old, result);
            }
        }
        else if (subresource == "binding")
        {
            // The server's own write of a pod's binding: spec.nodeName and the PodScheduled condition together.
            result = incoming;
        }
        else
        {
            result = incoming;
            if (type.HasStatus)
            {
                result["status"] = old["status"]?.DeepClone();
                if (result["status"] is null)
                {
                    result.Remove("status");
                }
            }
            if (NamespaceRules.Applies(type))
            {
                NamespaceRules.PrepareUpdate(old, result);
            }
        }
        OmitEmptyMetadata(result);
        var meta = JsonTree.Metadata(result);
        var oldMeta = JsonTree.Metadata(old);
        foreach (var keep in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace", "name", "generation" })
        {
            if (oldMeta[keep] is { } value)
            {
                meta[keep] = value.DeepClone();
            }
            else
            {
                meta.Remove(keep);
            }
        }
        if (type.TracksGeneration && SpecChanged(old, result))
        {
            meta["generation"] = (JsonTree.GetLong(old, "metadata.generation") ?? 0) + 1;
        }
        return result;
    }

    /// <summary>Optimistic concurrency: a stale resourceVersion is 409; custom resources must send one.</summary>
    public static void CheckPrecondition(ResourceType type, string name, JsonObject incoming, long currentVersion)
    {
        var sent = JsonTree.GetString(incoming, "metadata.resourceVersion");
        if (string.IsNullOrEmpty(sent))
        {
            if (type.IsCustom)
            {
                throw ApiErrors.Invalid(type, name, [FieldError.Invalid("metadata.resourceVersion", "0x0", "must be specified for an update")]);
            }
            return;
        }
        if (!long.TryParse(sent, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw ApiErrors.BadRequest($"invalid resourceVersion \"{sent}\" in metadata.resourceVersion");
        }
        if (version != currentVersion)
        {
            throw ApiErrors.Modified(type, name);
        }
    }

    /// <summary>
    /// A write's uid and resourceVersion preconditions (DeleteOptions.preconditions, a Binding's metadata): a mismatch is
    /// 409 in the storage layer's words.
    /// </summary>
    public static void CheckPreconditions(ResourceType type, string name, JsonObject current, string? uid, string? resourceVersion)
    {
        if (!string.IsNullOrEmpty(uid) && uid != JsonTree.GetString(current, "metadata.uid"))
        {
            throw ApiErrors.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {JsonTree.GetString(current, "metadata.uid")}");
        }
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != JsonTree.GetString(current, "metadata.resourceVersion"))
        {
            throw ApiErrors.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {resourceVersion}, ResourceVersion in object meta: {JsonTree.GetString(current, "metadata.resourceVersion")}");
        }
    }

    private static bool SpecChanged(JsonObject old, JsonObject updated)
    {
        static JsonObject Strip(JsonObject o)
        {
            var copy = JsonTree.Clone(o);
            copy.Remove("metadata");
            copy.Remove("status");
            return copy;
        }
        return !JsonNode.DeepEquals(Strip(old), Strip(updated));
    }
}
