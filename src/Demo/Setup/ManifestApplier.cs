using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.Demo.Setup;

/// <summary>
/// Applies the demo's documents with server-side apply, as `kubectl apply --server-side` would: the kinds it knows
/// (CRDs, NodePools, RecModels) and nothing else, so a typo in a manifest fails loudly instead of being skipped.
/// </summary>
public sealed class ManifestApplier(KubeApiClient client)
{
    public const string FieldManager = "recop-demo";

    public async Task ApplyAsync(JsonObject document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var kind = (string?)document["kind"];
        var descriptor = kind switch
        {
            "CustomResourceDefinition" => V1CustomResourceDefinition.Descriptor,
            NodePool.KindName => NodePool.Descriptor,
            RecModel.KindName => RecModel.Descriptor,
            _ => throw new InvalidOperationException($"the demo applies CustomResourceDefinition, NodePool and RecModel documents, not '{kind}'"),
        };
        var name = (string?)document["metadata"]?["name"] ?? throw new InvalidOperationException($"a {kind} document has no metadata.name");
        var ns = descriptor.Namespaced ? (string?)document["metadata"]?["namespace"] ?? "default" : null;
        await client.Unstructured(descriptor).PatchAsync(name, KubePatch.Apply(document, FieldManager, force: true), ns, cancellationToken).ConfigureAwait(false);
    }
}
