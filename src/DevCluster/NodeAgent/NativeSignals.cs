using System.Runtime.InteropServices;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>POSIX signals to a pod's process group (.NET's Process.Kill only sends SIGKILL, and only to one process).</summary>
internal static partial class NativeSignals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Signals every process of the group led by <paramref name="processGroup"/>; false when none is left.</summary>
    public static bool SignalGroup(int processGroup, int signal) => Kill(-processGroup, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
