namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// A pod's service-account volume as written by <see cref="ServiceAccountVolume"/>: the local folder standing in for
/// its mount path and the variables its containers get; or why the pod cannot have one (its containers then wait
/// with CreateContainerConfigError).
/// </summary>
public sealed record ServiceAccountMount(string Folder, IReadOnlyDictionary<string, string> Env, string? Error = null)
{
    public static ServiceAccountMount Failed(string error) => new("", new Dictionary<string, string>(), error);
}
