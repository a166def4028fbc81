namespace RecOperator.DevCluster.Resources;

/// <summary>Where the scale subresource reads and writes replicas (CRD `subresources.scale` paths, dotted).</summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);
