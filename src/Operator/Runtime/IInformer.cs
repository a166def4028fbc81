namespace RecOperator.Operator.Runtime;

/// <summary>What the host needs of any informer: to run it and to know whether it is ready.</summary>
public interface IInformer
{
    string Kind { get; }

    /// <summary>True once the first list has been loaded into the cache.</summary>
    bool HasSynced { get; }

    /// <summary>False while the API server cannot be reached.</summary>
    bool IsConnected { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
