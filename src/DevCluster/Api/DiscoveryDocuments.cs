using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>The legacy (v1) discovery documents kubectl reads to map kinds and short names to URLs.</summary>
public static class DiscoveryDocuments
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(registry.Groups().Select(g => (JsonNode?)Group(g.Group, g.Versions)).ToArray()),
    };

    public static JsonObject? Group(ResourceRegistry registry, string group)
    {
        var match = registry.Groups().FirstOrDefault(g => g.Group == group);
        if (match.Group is null)
        {
            return null;
        }
        var doc = Group(match.Group, match.Versions);
        doc["kind"] = "APIGroup";
        doc["apiVersion"] = "v1";
        return doc;
    }

    public static JsonObject ResourceList(string group, string version, IReadOnlyList<ResourceType> types)
    {
        var resources = new JsonArray();
        foreach (var type in types)
        {
            var main = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Strings(type.Verbs ?? AllVerbs),
            };
            if (type.ShortNames.Count > 0)
            {
                main["shortNames"] = Strings(type.ShortNames);
            }
            if (type.Categories.Count > 0)
            {
                main["categories"] = Strings(type.Categories);
            }
            resources.Add(main);
            if (type.HasStatus)
            {
                resources.Add(Subresource(type, "status", type.Kind, null));
            }
            if (type.Scale is not null)
            {
                resources.Add(Subresource(type, "scale", "Scale", "autoscaling"));
            }
            if (TokenRequestHandler.Serves(type))
            {
                resources.Add(Subresource(type, "token", "TokenRequest", "authentication.k8s.io", ["create"]));
            }
            if (PodBindingHandler.Serves(type))
            {
                resources.Add(Subresource(type, "binding", "Binding", null, ["create"]));
                resources.Add(Subresource(type, "eviction", "Eviction", "policy", ["create"]));
                resources.Add(Subresource(type, "log", "Pod", null, ["get"]));
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-recop-devcluster",
        ["gitCommit"] = "devcluster",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "n/a",
        ["compiler"] = "dotnet",
        ["platform"] = "linux/amd64",
    };

    private static JsonObject Subresource(ResourceType type, string name, string kind, string? group, IEnumerable<string>? verbs = null)
    {
        var doc = new JsonObject
        {
            ["name"] = $"{type.Plural}/{name}",
            ["singularName"] = "",
            ["namespaced"] = type.Namespaced,
            ["kind"] = kind,
            ["verbs"] = Strings(verbs ?? SubresourceVerbs),
        };
        if (group is not null)
        {
            doc["group"] = group;
            doc["version"] = "v1";
        }
        return doc;
    }

    private static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        var versionDocs = versions.Select(v => (JsonNode?)new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v }).ToArray();
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray(versionDocs),
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
