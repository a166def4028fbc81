using System.Globalization;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>Parses the grpc-timeout header: up to 8 digits and a unit (H, M, S, m, u, n).</summary>
public static class GrpcTimeout
{
    /// <summary>
    /// The longest deadline the pod keeps (about 24.8 days). Eight digits of hours reach 11,000 years, and the timers
    /// a deadline sets (Task.WaitAsync) refuse anything past about 49.7 days with an exception; a request never waits
    /// anywhere near this long, so a longer grpc-timeout means the same as this one.
    /// </summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>The timeout (at most <see cref="Longest"/>), null when absent, or false for a malformed value.</summary>
    public static bool TryParse(string? text, out TimeSpan? timeout)
    {
        timeout = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (text.Length < 2 || text.Length > 9
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        double? seconds = text[^1] switch
        {
            'H' => value * 3600.0,
            'M' => value * 60.0,
            'S' => value,
            'm' => value / 1e3,
            'u' => value / 1e6,
            'n' => value / 1e9,
            _ => null,
        };
        if (seconds is null)
        {
            return false;
        }
        timeout = seconds.Value < Longest.TotalSeconds ? TimeSpan.FromSeconds(seconds.Value) : Longest;
        return true;
    }
}
