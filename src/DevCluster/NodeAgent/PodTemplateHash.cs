using System.Text.Json;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The pod-template-hash label: the same template always hashes to the same value (so pods of the current template
/// are recognised after a restart of the agent), a changed template to a new one. FNV-1a over the template's JSON,
/// rendered in the same alphabet the deployment controller uses for its names.
/// </summary>
public static class PodTemplateHash
{
    public const string Label = "pod-template-hash";

    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <param name="collisionCount">The Deployment's status.collisionCount: mixed in when set (as ComputeHash does), so a
    /// raised count gives the same template a new name.</param>
    public static string Of(V1PodTemplateSpec template, int? collisionCount = null)
    {
        // The label itself is not part of what is hashed: pods carry it, the template does not.
        var labels = template.Metadata?.Labels?.Where(l => l.Key != Label).ToDictionary(l => l.Key, l => l.Value);
        var canonical = template with { Metadata = (template.Metadata ?? new V1ObjectMeta()) with { Labels = labels } };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(canonical, KubeJsonContext.Default.V1PodTemplateSpec);
        var hash = 14695981039346656037ul;
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * 1099511628211ul);
        }
        if (collisionCount is { } count)
        {
            foreach (var b in BitConverter.GetBytes(count))
            {
                hash = unchecked((hash ^ b) * 1099511628211ul);
            }
        }
        // 27^10 < 2^64: ten characters keep nearly all of the hash's bits.
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = SafeAlphabet[(int)(hash % (ulong)SafeAlphabet.Length)];
            hash /= (ulong)SafeAlphabet.Length;
        }
        return new string(chars);
    }
}
