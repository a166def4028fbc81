namespace RecOperator.InferencePod.Tests;

/// <summary>Engine calls a pod has made so far: recpod_batch_size is recorded once per call, so its count is theirs.</summary>
internal static class EngineCalls
{
    public static Task<double> ReadAsync(HttpClient rest) => PodSeries.SumAsync(rest, "recpod_batch_size_count");
}
