namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// A pod's service-account volume as written by <see cref="ServiceAccountVolume"/>: the local folder standing in for
/// its mount path and the variables its containers get.
/// </summary>
public sealed record ServiceAccountMount(string Folder, IReadOnlyDictionary<string, string> Env);
