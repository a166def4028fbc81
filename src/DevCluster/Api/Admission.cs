using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// Request checks that come before storage: the object's identity against the URL, the namespace, the
/// metadata rules, a pod's admission plugins (<see cref="PodAdmission"/>), and for custom resources their CRD schema
/// (prune, default, validate).
/// </summary>
internal sealed class Admission
{
    private const string GenerateNameChars = "bcdfghjklmnpqrstvwxz2456789";
    private const int MaxGenerateNamePrefix = 58;
    private readonly ObjectStore _store;
    private readonly TimeProvider _time;

    public Admission(ObjectStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public JsonObject ForCreate(ResourceType type, string ns, JsonObject body, WriteOptions options)
    {
        var obj = JsonTree.Clone(body);
        Decode(type, obj, options);
        CheckKind(type, obj);
        var meta = JsonTree.Metadata(obj);
        var bodyNamespace = JsonTree.GetString(obj, "metadata.namespace");
        if (type.Namespaced)
        {
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
            {
                throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta["namespace"] = ns;
        }
        else
        {
            meta.Remove("namespace");
        }
        if (string.IsNullOrEmpty(JsonTree.GetString(obj, "metadata.name")) && JsonTree.GetString(obj, "metadata.generateName") is { Length: > 0 } prefix)
        {
            // Like the real name generator: the prefix is cut to 58 characters so that with the 5 random ones the
            // name stays within 63, the limit of the strictest kinds; a long generateName is not an error.
            meta["name"] = prefix[..Math.Min(prefix.Length, MaxGenerateNamePrefix)] + new string(Enumerable.Range(0, 5).Select(_ => GenerateNameChars[Random.Shared.Next(GenerateNameChars.Length)]).ToArray());
        }
        // The real storage layer refuses a create that carries a resourceVersion (an object read back and posted again),
        // with a 500 and no reason; one that does not parse as a version is ignored there, and so it is here.
        if (ulong.TryParse(JsonTree.GetString(obj, "metadata.resourceVersion"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) && version != 0)
        {
            throw new ApiException(500, "", "resourceVersion should not be set on objects to be created");
        }
        ObjectRules.PrepareCreate(type, obj, _time.GetUtcNow());
        if (IsCrd(type))
        {
            var finalizers = meta["finalizers"] as JsonArray ?? [];
            if (!finalizers.Any(f => f?.GetValue<string>() == Lifecycle.Finalizers.CustomResourceCleanup))
            {
                finalizers.Add(Lifecycle.Finalizers.CustomResourceCleanup);
            }
            meta["finalizers"] = finalizers;
        }
        if (PodAdmission.Applies(type))
        {
            // NamespaceLifecycle comes first in the real chain: a pod for a missing namespace is 404 before its account is looked up.
            RequireNamespace(type, ns, JsonTree.GetString(obj, "metadata.name") ?? "");
            PodAdmission.Admit(type, ns, obj, _store);
        }
        Validate(type, obj, options);
        return obj;
    }

    /// <summary>Namespaced objects need a live namespace; a terminating one takes no new content (403).</summary>
    public void RequireNamespace(ResourceType type, string ns, string name)
    {
        if (!type.Namespaced)
        {
            return;
        }
        var namespaceObject = _store.Get("/namespaces", "", ns) ?? throw ApiErrors.NamespaceNotFound(ns);
        if (JsonTree.Get(namespaceObject.Parse(), "metadata.deletionTimestamp") is not null)
        {
            throw ApiErrors.NamespaceTerminating(type, name, ns);
        }
    }

    /// <summary>
    /// Metadata rules, built-in kinds' rules (and on update, given <paramref name="old"/>, their immutable fields; a
    /// write through <paramref name="subresource"/> is checked for what that subresource may change), CRD
    /// rules and the custom resource's structural schema; 422 with causes on failure.
    /// </summary>
    public void Validate(ResourceType type, JsonObject obj, WriteOptions options, JsonObject? old = null, string? subresource = null)
    {
        var name = JsonTree.GetString(obj, "metadata.name") ?? "";
        BuiltInDefaults.Apply(type, obj);
        var errors = ObjectRules.ValidateMetadata(type, obj);
        errors.AddRange(BuiltInRules.Validate(type, obj));
        if (old is not null)
        {
            errors.AddRange(ObjectRules.ValidateMetadataUpdate(old, obj));
            errors.AddRange(BuiltInRules.ValidateUpdate(type, old, obj, subresource));
        }
        if (IsCrd(type))
        {
            errors.AddRange(CrdRules.Validate(obj));
            if (errors.Count == 0)
            {
                CrdRules.SetEstablishedStatus(obj, _time.GetUtcNow());
            }
        }
        if (type.Schema is not null)
        {
            var pruned = new List<string>();
            errors.AddRange(StructuralSchema.Apply(obj, type.Schema, pruned));
            ReportUnknown(type, pruned, options);
        }
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(type, name, errors);
        }
    }

    public static bool IsCrd(ResourceType type) => type.Kind == "CustomResourceDefinition" && type.Group == "apiextensions.k8s.io";

    public static void CheckIdentity(ResourceType type, string ns, string name, JsonObject body, WriteOptions options)
    {
        Decode(type, body, options);
        CheckKind(type, body);
        var bodyName = JsonTree.GetString(body, "metadata.name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        var bodyNamespace = JsonTree.GetString(body, "metadata.namespace");
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    /// <summary>
    /// The typed decode the real server does before it reads anything: a built-in kind as its Go type from the official
    /// OpenAPI document, a custom resource's type and metadata likewise (its CRD schema prunes the rest, in Validate).
    /// A value of the wrong type is 400 naming its field; unknown fields are dropped and, per fieldValidation, warned
    /// about (the default) or refused (Strict).
    /// </summary>
    private static void Decode(ResourceType type, JsonObject obj, WriteOptions options)
    {
        var report = TypedDecoder.Decode(obj, TypedSchemas.Instance.For(type));
        if (report.WrongTypes.Count > 0)
        {
            throw ApiErrors.BadRequest(CannotHandle(type, string.Join("; ", report.WrongTypes)));
        }
        ReportUnknown(type, report.UnknownFields, options);
    }

    private static void ReportUnknown(ResourceType type, IReadOnlyList<string> unknown, WriteOptions options)
    {
        if (unknown.Count == 0 || options.FieldValidation == "Ignore")
        {
            return;
        }
        var fields = unknown.Select(u => $"unknown field \"{u}\"").ToList();
        if (options.FieldValidation == "Strict")
        {
            throw ApiErrors.BadRequest(CannotHandle(type, $"strict decoding error: {string.Join(", ", fields)}"));
        }
        fields.ForEach(f => options.Warnings?.Add(f));
    }

    /// <summary>The real server's wording for a body it cannot decode into the kind.</summary>
    private static string CannotHandle(ResourceType type, string why) => $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {why}";

    private static void CheckKind(ResourceType type, JsonObject obj)
    {
        var kind = JsonTree.GetString(obj, "kind");
        var apiVersion = JsonTree.GetString(obj, "apiVersion");
        if (kind is not null && kind != type.Kind)
        {
            throw ApiErrors.BadRequest($"the kind of the object ({kind}) does not match the kind served at this URL ({type.Kind})");
        }
        if (apiVersion is not null && !type.ServedVersions.Select(type.ApiVersionFor).Contains(apiVersion))
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
    }
}
