namespace RecOperator.DevCluster.Storage;

/// <summary>
/// One committed change. The previous state travels along so filtered watchers can turn "stopped matching"
/// into DELETED and "started matching" into ADDED, as the real watch cache does.
/// </summary>
public sealed record StoreEvent(WatchEventType Type, string Resource, StoredObject Object, StoredObject? Previous)
{
    public long ResourceVersion => Object.ResourceVersion;
}
