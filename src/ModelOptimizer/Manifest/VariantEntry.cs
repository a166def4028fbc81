using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube.Yaml;

namespace RecOperator.ModelOptimizer.Manifest;

/// <summary>The RecModel `variants` entry for an artifact, built with the Crds types and printed as YAML ready to paste.</summary>
public static class VariantEntry
{
    public static VariantSpec Create(ArtifactManifest manifest, string artifactFullPath, string nodePool)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var gpu = manifest.Precision == Precision.Fp16;
        return new VariantSpec
        {
            Name = VariantName(System.IO.Path.GetFileNameWithoutExtension(manifest.Path)),
            Hardware = gpu ? Hardware.Gpu : Hardware.Cpu,
            ExecutionProvider = gpu ? ExecutionProvider.Cuda : ExecutionProvider.Cpu,
            Artifact = new ArtifactSpec { Uri = new Uri(artifactFullPath).AbsoluteUri, Sha256 = manifest.Sha256, Precision = manifest.Precision },
            IntraOpThreads = manifest.Profile?.Threads ?? 1,
            NodePools = [nodePool],
            Capacity = manifest.Profile is { } p
                ? new CapacityProfileSpec { QpsPerReplica = p.QpsPerReplica, P99LatencyMs = p.P99LatencyMs, CandidatesPerRequest = p.CandidatesPerRequest }
                : null,
        };
    }

    public static string Yaml(VariantSpec variant)
    {
        var node = JsonSerializer.SerializeToNode(variant, CrdsJsonContext.Default.VariantSpec);
        return YamlWriter.Write(new JsonObject { ["variants"] = new JsonArray(node) });
    }

    /// <summary>A DNS-1123 label of at most 40 characters: lower case, '-' for anything else, no leading or trailing '-'.</summary>
    public static string VariantName(string fileStem)
    {
        ArgumentNullException.ThrowIfNull(fileStem);
        var builder = new StringBuilder();
        foreach (var c in fileStem.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }
        var name = builder.ToString();
        name = name.Length > 40 ? name[..40] : name;
        name = name.Trim('-');
        return name.Length == 0 ? "variant" : name;
    }
}
