using System.Text.Json;
using System.Text.RegularExpressions;

namespace RecOperator.KubeTypesGen;

/// <summary>
/// Finds each kind's plural resource name and scope from the schema's paths: the "get" operation on
/// <c>/apis/{group}/{version}[/namespaces/{namespace}]/{plural}/{name}</c> returns that kind.
/// </summary>
public static partial class ResourceIndex
{
    [GeneratedRegex(@"^/(?:api|apis/[^/]+)/[^/]+(?<ns>/namespaces/\{namespace\})?/(?<plural>[a-z0-9.-]+)/\{name\}$")]
    private static partial Regex ObjectPath();

    public static IReadOnlyDictionary<string, ResourceInfo> Build(JsonElement paths)
    {
        var byDefinition = new Dictionary<string, ResourceInfo>(StringComparer.Ordinal);
        foreach (var path in paths.EnumerateObject())
        {
            var match = ObjectPath().Match(path.Name);
            if (!match.Success || !path.Value.TryGetProperty("get", out var get))
            {
                continue;
            }

            if (!get.TryGetProperty("x-kubernetes-action", out var action) || action.GetString() != "get"
                || !get.TryGetProperty("x-kubernetes-group-version-kind", out var gvk)
                || !get.GetProperty("responses").TryGetProperty("200", out var ok)
                || !ok.TryGetProperty("schema", out var schema) || !schema.TryGetProperty("$ref", out var reference))
            {
                continue;
            }

            var key = reference.GetString()!.Split('/')[^1];
            byDefinition.TryAdd(key, new ResourceInfo(
                gvk.GetProperty("group").GetString()!,
                gvk.GetProperty("version").GetString()!,
                gvk.GetProperty("kind").GetString()!,
                match.Groups["plural"].Value,
                match.Groups["ns"].Success));
        }

        return byDefinition;
    }
}
