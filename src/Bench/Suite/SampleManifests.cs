using System.Text.Json.Nodes;
using RecOperator.Kube.Yaml;

namespace RecOperator.Bench.Suite;

/// <summary>The repository's sample RecModel and NodePools (manifests/samples), which the autoscaler and operator sections use.</summary>
public static class SampleManifests
{
    public static async Task<IReadOnlyList<JsonObject>> ReadAsync(string samplesFolder, CancellationToken cancellationToken)
    {
        var documents = new List<JsonObject>();
        foreach (var file in new[] { "nodepools.yaml", "recmodel-ranking.yaml" })
        {
            var text = await File.ReadAllTextAsync(Path.Combine(samplesFolder, file), cancellationToken).ConfigureAwait(false);
            documents.AddRange(YamlDocuments.Parse(text).OfType<JsonObject>());
        }
        return documents;
    }
}
