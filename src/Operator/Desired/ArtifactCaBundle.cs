using RecOperator.Crds.Models;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>
/// An artifact's caBundle in the pod: the referenced ConfigMap key projected as one file of a read-only volume, whose
/// path the pod reads from RECPOD_ARTIFACT_CA. The key is renamed to a fixed file name so the path the pod is given
/// never depends on how the user named the key.
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
    /// Only the one key is projected; optional stays unset (false), so a missing ConfigMap or key holds the pod back
    /// with the kubelet's error instead of starting it without the CA it was told to trust.
    /// </summary>
    public static V1Volume Volume(ConfigMapKeyReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return new V1Volume
        {
            Name = VolumeName,
            ConfigMap = new V1ConfigMapVolumeSource
            {
                Name = reference.Name,
                Items = [new V1KeyToPath { Key = reference.Key, Path = FileName }],
            },
        };
    }
}
