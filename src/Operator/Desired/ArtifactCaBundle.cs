using RecOperator.Crds.Models;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>
/// An artifact's caBundle in the pod: the referenced ConfigMap or Secret key projected as one file of a read-only
/// volume, whose path the pod reads from RECPOD_ARTIFACT_CA. The key is renamed to a fixed file name so the path the
/// pod is given never depends on how the user named the key.
/// </summary>
public static class ArtifactCaBundle
{
    public const string VolumeName = "artifact-ca";
    public const string MountPath = "/etc/recpod/artifact-ca";
    public const string FileName = "ca.crt";

    /// <summary>The file the container finds the bundle in.</summary>
    public const string FilePath = MountPath + "/" + FileName;

    public static V1VolumeMount Mount => new() { Name = VolumeName, MountPath = MountPath, ReadOnly = true };

    /// <summary>
    /// The ConfigMap or Secret volume of the bundle. Only the one key is projected; optional stays unset (false), so a
    /// missing object or key holds the pod back with the kubelet's error instead of starting it without the CA it was
    /// told to trust. A Secret is mounted by the kubelet, so the operator needs no access to Secrets for it.
    /// </summary>
    public static V1Volume Volume(CaBundleSpec bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return bundle switch
        {
            { ConfigMapKeyRef: { } configMap, SecretKeyRef: null } => new V1Volume
            {
                Name = VolumeName,
                ConfigMap = new V1ConfigMapVolumeSource { Name = configMap.Name, Items = Item(configMap.Key) },
            },
            { SecretKeyRef: { } secret, ConfigMapKeyRef: null } => new V1Volume
            {
                Name = VolumeName,
                Secret = new V1SecretVolumeSource { SecretName = secret.Name, Items = Item(secret.Key) },
            },
            // Validation refuses such a spec before anything is built (ResourceRules); reaching here is a bug.
            _ => throw new ArgumentException($"caBundle: {CaBundleSpec.OneSourceMessage}", nameof(bundle)),
        };
    }

    private static List<V1KeyToPath> Item(string key) => [new V1KeyToPath { Key = key, Path = FileName }];
}
