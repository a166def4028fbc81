namespace RecOperator.DevCluster.NodeAgent;

/// <summary>Where container output goes: LOG_DIR/NAMESPACE/POD/CONTAINER.log, appended across restarts.</summary>
public static class PodLogs
{
    /// <summary>Under the data directory: DATA_DIR/pod-logs.</summary>
    public static string DirectoryUnder(string dataDirectory) => Path.Combine(dataDirectory, "pod-logs");

    public static string PathOf(string logDirectory, string ns, string pod, string container) =>
        Path.Combine(DirectoryOf(logDirectory, ns, pod), container + ".log");

    /// <summary>The pod's own folder: its logs, and its volumes (emptyDir, the service-account files) beside them.</summary>
    public static string DirectoryOf(string logDirectory, string ns, string pod) => Path.Combine(logDirectory, ns, pod);

    /// <summary>The log files of a pod, one per container, in name order; empty when the pod never ran here.</summary>
    public static IReadOnlyList<string> FilesOf(string logDirectory, string ns, string pod)
    {
        var directory = DirectoryOf(logDirectory, ns, pod);
        return Directory.Exists(directory) ? Directory.GetFiles(directory, "*.log").Order(StringComparer.Ordinal).ToList() : [];
    }
}
