using System.Text;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// A failed container's termination message under `terminationMessagePolicy: FallbackToLogsOnError`, as the kubelet
/// makes it: the end of what this run of the container wrote to its log, at most 80 lines and 2,048 bytes. (The `File`
/// policy reads the file at terminationMessagePath, which a local process cannot be given at /dev/termination-log, so
/// it yields no message here.)
/// </summary>
public static class TerminationMessage
{
    public const string FallbackToLogsOnError = "FallbackToLogsOnError";

    private const int MaxLines = 80;
    private const int MaxBytes = 2048;

    /// <summary>The log's length now: where the next run's output starts.</summary>
    public static long LogLength(string logPath) => File.Exists(logPath) ? new FileInfo(logPath).Length : 0;

    /// <summary>The message for a run that exited with <paramref name="exitCode"/>, or null when the policy gives none.</summary>
    /// <param name="runStart">The log's length when the run started (<see cref="LogLength"/>): earlier runs' output is not this run's message.</param>
    public static string? For(string? policy, int exitCode, string logPath, long runStart)
    {
        if (policy != FallbackToLogsOnError || exitCode == 0 || !File.Exists(logPath))
        {
            return null;
        }
        using var log = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var from = Math.Max(runStart, log.Length - MaxBytes);
        if (from >= log.Length)
        {
            return null;
        }
        log.Seek(from, SeekOrigin.Begin);
        var tail = new byte[log.Length - from];
        log.ReadExactly(tail);
        return Tail(Encoding.UTF8.GetString(tail));
    }

    /// <summary>The last <see cref="MaxLines"/> lines of <paramref name="text"/>, without the final line break.</summary>
    internal static string? Tail(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        var kept = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - MaxLines)));
        return kept.Length == 0 ? null : kept;
    }
}
