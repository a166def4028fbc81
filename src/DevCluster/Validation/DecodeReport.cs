namespace RecOperator.DevCluster.Validation;

/// <summary>What <see cref="TypedDecoder"/> found, each entry naming its field path.</summary>
public sealed class DecodeReport
{
    /// <summary>"spec.replicas must be an integer (int32), not \"3\"": the real server answers 400.</summary>
    public List<string> WrongTypes { get; } = [];

    /// <summary>Keys the type does not have, already removed: dropped, warned about or refused, per fieldValidation.</summary>
    public List<string> UnknownFields { get; } = [];

    /// <summary>Fields the document marks required that are absent. The decode does not need them (they are Go zero values).</summary>
    public List<string> MissingFields { get; } = [];
}
