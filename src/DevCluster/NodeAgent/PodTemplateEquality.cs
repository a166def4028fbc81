using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The deployment controller's EqualIgnoreHash: two pod templates are the same when they are semantically equal with
/// the pod-template-hash label aside. Semantic as apimachinery's DeepEqual is: an empty map, list or struct equals an
/// absent one (Go has no difference between `resources: {}` and none; kubectl writes the former, this project's client
/// the latter), so a rollback after `kubectl set env` finds the old ReplicaSet instead of making a twin of it.
/// </summary>
public static class PodTemplateEquality
{
    public static bool EqualIgnoreHash(V1PodTemplateSpec a, V1PodTemplateSpec b) => JsonNode.DeepEquals(Canonical(a), Canonical(b));

    private static JsonNode? Canonical(V1PodTemplateSpec template)
    {
        var node = JsonSerializer.SerializeToNode(template, KubeJsonContext.Default.V1PodTemplateSpec);
        if (node?["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(PodTemplateHash.Label);
        }
        return WithoutEmpty(node);
    }

    // Drops empty objects and arrays, innermost first, so a struct left empty by that is dropped too.
    private static JsonNode? WithoutEmpty(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (WithoutEmpty(value) is null && value is JsonObject or JsonArray)
                    {
                        obj.Remove(key);
                    }
                }
                return obj.Count == 0 ? null : obj;
            case JsonArray array:
                foreach (var item in array.ToList())
                {
                    WithoutEmpty(item);
                }
                return array.Count == 0 ? null : array;
            default:
                return node;
        }
    }
}
