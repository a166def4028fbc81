using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// What a configMap or secret volume asks the kubelet for, in one shape: the object, the keys to project (all when
/// <paramref name="Items"/> is empty), the file modes, and whether the object or a key may be missing.
/// </summary>
/// <param name="VolumeName">The pod's name for the volume, which the kubelet's errors name.</param>
/// <param name="Kind">The object's kind as the kubelet's messages spell it: <c>configmap</c> or <c>secret</c>.</param>
/// <param name="KeyNoun">What the kubelet calls a missing key of that kind: <c>config key</c> or <c>secret key</c>.</param>
/// <param name="ObjectName">The ConfigMap's or Secret's name in the pod's namespace.</param>
/// <param name="Items">The keys to project and the paths to project them at.</param>
/// <param name="DefaultMode">Permission bits of files without a mode of their own (decimal, as the API carries them).</param>
/// <param name="Optional">Whether a missing object or key leaves the volume without it instead of holding the pod.</param>
public sealed record KeyedVolumeSource(
    string VolumeName, string Kind, string KeyNoun, string? ObjectName, IList<V1KeyToPath>? Items, int? DefaultMode, bool Optional)
{
    public const string ConfigMapKind = "configmap";
    public const string SecretKind = "secret";

    /// <summary>The volume's source when it is a configMap or secret volume; null for other kinds.</summary>
    public static KeyedVolumeSource? Of(V1Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume switch
        {
            { ConfigMap: { } c } => Of(volume.Name, c),
            { Secret: { } s } => Of(volume.Name, s),
            _ => null,
        };
    }

    public static KeyedVolumeSource Of(string volumeName, V1ConfigMapVolumeSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new(volumeName, ConfigMapKind, "config key", source.Name, source.Items, source.DefaultMode, source.Optional == true);
    }

    public static KeyedVolumeSource Of(string volumeName, V1SecretVolumeSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new(volumeName, SecretKind, "secret key", source.SecretName, source.Items, source.DefaultMode, source.Optional == true);
    }
}
