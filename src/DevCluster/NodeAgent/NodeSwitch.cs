using System.Text.Json.Nodes;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Takes local nodes down and brings them back by annotating their Node objects; the node agent (in this process or
/// another one) sees the annotation and stops or resumes the node's kubelet. This is how `recop devcluster node
/// down|up` reaches a running agent: through the API server, like every other client.
/// </summary>
public static class NodeSwitch
{
    public const string DownAnnotation = "devcluster.recoperator.io/down";

    /// <summary>Sets the nodes of <paramref name="pool"/> (or the one named <paramref name="node"/>) down or up; returns their names.</summary>
    public static async Task<IReadOnlyList<string>> SetAsync(KubeApiClient api, string? pool, string? node, bool down, CancellationToken ct)
    {
        if ((pool is null) == (node is null))
        {
            throw new ArgumentException("name exactly one of --pool and --node");
        }
        var nodes = api.For<V1Node>();
        var selected = new List<string>();
        await foreach (var candidate in nodes.ListAllAsync(null, null, ct).ConfigureAwait(false))
        {
            var name = candidate.Metadata?.Name ?? "";
            var inPool = pool is not null && candidate.Metadata?.Labels?.TryGetValue(NodePoolConfig.PoolLabel, out var p) == true && p == pool;
            if (inPool || name == node)
            {
                selected.Add(name);
            }
        }
        if (selected.Count == 0)
        {
            throw new ArgumentException(pool is not null ? $"--pool: no node carries {NodePoolConfig.PoolLabel}={pool}" : $"--node: no node named {node}");
        }
        foreach (var name in selected)
        {
            // null removes the annotation (merge patch); a JSON node has one parent, so each patch gets its own value.
            var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [DownAnnotation] = down ? "true" : null } } };
            await nodes.PatchAsync(name, KubePatch.Merge(patch), null, ct).ConfigureAwait(false);
        }
        return selected;
    }

    public static bool IsDown(V1Node node) =>
        node.Metadata?.Annotations?.TryGetValue(DownAnnotation, out var v) == true && v == "true";
}
