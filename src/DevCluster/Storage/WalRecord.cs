namespace RecOperator.DevCluster.Storage;

/// <summary>One line of the write-ahead log: a put (Json set) or a delete (Json null) at a revision.</summary>
public sealed record WalRecord(long Revision, string? Resource, string Namespace, string Name, byte[]? Json);
