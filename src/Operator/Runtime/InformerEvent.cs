namespace RecOperator.Operator.Runtime;

/// <summary>A change the informer saw. <see cref="Old"/> is set for updates and resyncs.</summary>
public sealed record InformerEvent<T>(InformerEventType Type, T Object, T? Old = null)
    where T : class;
