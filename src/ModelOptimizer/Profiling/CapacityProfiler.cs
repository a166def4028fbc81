using System.Diagnostics;
using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Manifest;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Profiling;

/// <summary>
/// `optimize profile`: measures one replica's run times with real ONNX Runtime runs (single requests, and batches of
/// b requests as b·candidates rows), then finds the highest Poisson arrival rate whose simulated p99 (dynamic-batching
/// queue, <see cref="QueueSimulator"/>) stays under the target. Models with a user side (inputs with a fixed leading
/// dim of 1) cannot merge requests into one run, so they are profiled with batches of one request.
/// </summary>
public static class CapacityProfiler
{
    public static CapacityProfile Profile(IInferenceEngine engine, string modelPath, ModelProto model, ProfileOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var specs = InputSpecs.Of(model);
        var mergeable = specs.All(s => s.Dims.Count > 0 && s.Dims[0] is null);
        var maxBatch = mergeable ? options.MaxBatchRequests : 1;
        using var scorer = new SessionScorer(engine.Load(modelPath, new InferenceSessionOptions { IntraOpThreads = options.Threads, InterOpThreads = 1 }));
        var random = new DeterministicRandom(options.Seed);
        var single = Measure(scorer, SyntheticRequest.Create(specs, options.Candidates, random), options.Samples, cancellationToken);
        var means = new List<double> { single.Average() };
        for (var b = 2; b <= maxBatch; b++)
        {
            means.Add(Measure(scorer, SyntheticRequest.Create(specs, options.Candidates * b, random), Math.Max(5, options.Samples / 10), cancellationToken).Average());
        }
        var (qps, p99) = QueueSimulator.Capacity(new ServiceTimes(single, means), options.P99TargetMs, options.MaxQueueDelayMs);
        return new CapacityProfile
        {
            QpsPerReplica = Math.Round(qps, 1),
            P99LatencyMs = Math.Round(p99, 3),
            P99TargetMs = options.P99TargetMs,
            CandidatesPerRequest = options.Candidates,
            Threads = options.Threads,
            MaxBatchRequests = maxBatch,
            MaxQueueDelayMs = options.MaxQueueDelayMs,
            Method = "model over measured latencies, not a load test: ONNX Runtime run times measured one at a time (single requests and merged batches), Poisson arrivals through a simulated dynamic-batching queue, bisection on the rate for the p99 target",
        };
    }

    private static List<double> Measure(SessionScorer scorer, SyntheticRequest request, int samples, CancellationToken cancellationToken)
    {
        scorer.Score(request, cancellationToken);
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            scorer.Score(request, cancellationToken);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return times;
    }
}
