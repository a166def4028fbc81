namespace RecOperator.DevCluster.NodeAgent;

/// <summary>One file of a projected volume (a configMap's): its path relative to the volume, content and permissions.</summary>
public sealed record ProjectedFile(string Path, ReadOnlyMemory<byte> Content, UnixFileMode Mode);
