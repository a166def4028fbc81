using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Kube.Yaml;

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

    /// <summary>
    /// The project's CRDs (manifests/crds and the Gateway API HTTPRoute CRD the router and operator use), then
    /// <paramref name="documents"/> in order: what the demo and the end-to-end tests put on a fresh cluster.
    /// </summary>
    public async Task ApplyWithCrdsAsync(string repositoryRoot, IEnumerable<JsonObject> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var crdFiles = Directory.GetFiles(Path.Combine(repositoryRoot, "manifests", "crds"), "*.yaml").Order(StringComparer.Ordinal)
            .Append(Path.Combine(repositoryRoot, "manifests", "gateway-api", "httproute-crd.yaml"));
        foreach (var file in crdFiles)
        {
            foreach (var document in YamlDocuments.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)))
            {
                await ApplyAsync(document.AsObject(), cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var document in documents)
        {
            await ApplyAsync(document, cancellationToken).ConfigureAwait(false);
        }
    }
}
