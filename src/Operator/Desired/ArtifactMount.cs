using RecOperator.Crds.Models;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>
/// How the pod reaches its artifact. file, http(s), s3 and gs URIs are fetched by the pod itself (into its cache);
/// <c>pvc://CLAIM/PATH</c> becomes a read-only volume of that claim, and the pod reads the file from the mount. A
/// caBundle becomes a read-only ConfigMap or Secret volume whose one file the pod trusts when it downloads.
/// </summary>
/// <param name="PodUri">The URI handed to the pod.</param>
/// <param name="Volumes">The volumes to add to the pod, in order.</param>
/// <param name="Mounts">Where the container mounts them.</param>
/// <param name="CaFile">The path of the mounted CA bundle in the container, or null when the artifact has none.</param>
public sealed record ArtifactMount(string PodUri, IReadOnlyList<V1Volume> Volumes, IReadOnlyList<V1VolumeMount> Mounts, string? CaFile)
{
    private const string PvcScheme = "pvc://";
    private const string VolumeName = "artifact";
    private const string MountRoot = "/models";

    public static ArtifactMount For(ArtifactSpec artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();
        var podUri = artifact.Uri;
        if (artifact.Uri.StartsWith(PvcScheme, StringComparison.Ordinal))
        {
            var rest = artifact.Uri[PvcScheme.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var claim = slash < 0 ? rest : rest[..slash];
            var path = slash < 0 ? "" : rest[(slash + 1)..];
            var mountPath = $"{MountRoot}/{claim}";
            podUri = $"file://{mountPath}/{path}";
            volumes.Add(new V1Volume
            {
                Name = VolumeName,
                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim, ReadOnly = true },
            });
            mounts.Add(new V1VolumeMount { Name = VolumeName, MountPath = mountPath, ReadOnly = true });
        }

        string? caFile = null;
        if (artifact.CaBundle is { } bundle)
        {
            volumes.Add(ArtifactCaBundle.Volume(bundle));
            mounts.Add(ArtifactCaBundle.Mount);
            caFile = ArtifactCaBundle.FilePath;
        }

        return new ArtifactMount(podUri, volumes, mounts, caFile);
    }
}
