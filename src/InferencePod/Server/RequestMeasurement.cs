using System.Diagnostics;

namespace RecOperator.InferencePod.Server;

/// <summary>One request's metrics: started when created, finished exactly once with its status code.</summary>
public sealed class RequestMeasurement
{
    private readonly PodMetrics _metrics;
    private readonly long _start;
    private readonly bool _recorded;
    private int _finished;

    public RequestMeasurement(PodMetrics metrics, long start)
    {
        _metrics = metrics;
        _start = start;
        // Decided once, so a request that began during warm-up never takes an in-flight count it did not add.
        _recorded = metrics.Recording;
        if (_recorded)
        {
            metrics.RequestStarted();
        }
    }

    public void Finish(int httpCode, int candidates)
    {
        if (_recorded && Interlocked.Exchange(ref _finished, 1) == 0)
        {
            _metrics.RequestFinished(httpCode, Stopwatch.GetElapsedTime(_start).TotalSeconds, candidates);
        }
    }
}
