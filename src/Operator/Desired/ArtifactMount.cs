using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>
/// How the pod reaches its artifact. file, http(s), s3 and gs URIs are fetched by the pod itself (into its cache);
/// <c>pvc://CLAIM/PATH</c> becomes a read-only volume of that claim, and the pod reads the file from the mount.
/// </summary>
/// <param name="PodUri">The URI handed to the pod.</param>
/// <param name="Volume">The volume to add, if any.</param>
/// <param name="Mount">Where the container mounts it.</param>
public sealed record ArtifactMount(string PodUri, V1Volume? Volume, V1VolumeMount? Mount)
{
    private const string PvcScheme = "pvc://";
    private const string VolumeName = "artifact";
    private const string MountRoot = "/models";

    public static ArtifactMount For(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.StartsWith(PvcScheme, StringComparison.Ordinal))
        {
            return new ArtifactMount(uri, null, null);
        }

        var rest = uri[PvcScheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var claim = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[(slash + 1)..];
        var mountPath = $"{MountRoot}/{claim}";
        return new ArtifactMount(
            $"file://{mountPath}/{path}",
            new V1Volume
            {
                Name = VolumeName,
                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim, ReadOnly = true },
            },
            new V1VolumeMount { Name = VolumeName, MountPath = mountPath, ReadOnly = true });
    }
}
