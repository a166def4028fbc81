using System.Runtime.InteropServices;

namespace RecOperator.Bench.Load;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID). The raw engine with one intra-op thread does all its
/// work on the thread that calls it, so this is its cost alone; the process's CPU time also counts whatever else the
/// bench process does meanwhile (a collection of the load generator's garbage, connection clean-up), which made the
/// engine look dearer and the pod's ratio to it better than it was.
/// </summary>
internal static class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    /// <summary>Seconds, or null where the clock is not available (not Linux).</summary>
    public static double? Seconds()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
        {
            return null;
        }
        return time.Seconds + time.Nanoseconds / 1e9;
    }
}
