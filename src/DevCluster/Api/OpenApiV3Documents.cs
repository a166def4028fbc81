using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// OpenAPI v3 per group version. kubectl reads it to learn that the server validates fields itself
/// (the `fieldValidation` parameter on each write), and `kubectl explain` reads the schemas: a built-in kind's from the
/// official document (<see cref="OpenApiV3Schemas"/>), a custom resource's from its CRD with its metadata as ObjectMeta.
/// </summary>
public static class OpenApiV3Documents
{
    public static JsonObject Root(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in registry.All.Select(t => (t.Group, t.Version)).Distinct())
        {
            var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            // The built-in schemas never change while the server runs: the hash covers what can (kinds, CRD schemas).
            var hash = Convert.ToHexString(SHA256.HashData(JsonTree.ToBytes(GroupVersion(registry, group, version, withBuiltInSchemas: false))))[..32];
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject GroupVersion(ResourceRegistry registry, string group, string version, bool withBuiltInSchemas = true)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var type in registry.InGroupVersion(group, version))
        {
            var gvk = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = type.Kind };
            var prefix = (group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}") + (type.Namespaced ? "/namespaces/{namespace}" : "");
            paths[$"{prefix}/{type.Plural}"] = new JsonObject { ["post"] = Operation("create", gvk) };
            paths[$"{prefix}/{type.Plural}/{{name}}"] = new JsonObject
            {
                ["put"] = Operation("update", gvk),
                ["patch"] = Operation("patch", gvk),
            };
            if (type.Schema is not null)
            {
                var schema = (JsonObject)type.Schema.DeepClone();
                schema["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
                if (schema["properties"] is JsonObject properties)
                {
                    properties["metadata"] = OpenApiV3Schemas.Reference(OpenApiV3Schemas.ObjectMeta,
                        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
                }
                schemas[SchemaName(type)] = schema;
                AddClosure(schemas, OpenApiV3Schemas.ObjectMeta, withBuiltInSchemas);
            }
            else if (!type.IsCustom && Patching.BuiltInSchemas.Instance.DefinitionNameFor(group, version, type.Kind) is { } definition)
            {
                AddClosure(schemas, definition, withBuiltInSchemas);
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static void AddClosure(JsonObject schemas, string definition, bool include)
    {
        if (!include)
        {
            return;
        }
        foreach (var (name, schema) in OpenApiV3Schemas.Closure(definition))
        {
            if (!schemas.ContainsKey(name))
            {
                schemas[name] = schema.DeepClone();
            }
        }
    }

    /// <summary>Schema names reverse the group, as the real server does: io.recoperator.serving.v1alpha1.RecModel.</summary>
    private static string SchemaName(ResourceType type) =>
        $"{string.Join('.', type.Group.Split('.').Reverse())}.{type.Version}.{type.Kind}";

    private static JsonObject Operation(string action, JsonObject gvk) => new()
    {
        ["parameters"] = new JsonArray(
            Query("dryRun"), Query("fieldManager"), Query("fieldValidation")),
        ["x-kubernetes-action"] = action,
        ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
    };

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
