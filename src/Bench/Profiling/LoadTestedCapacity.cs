using System.Globalization;
using RecOperator.Bench.Load;
using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Manifest;
using RecOperator.ModelOptimizer.Profiling;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Proto;
using RecOperator.Operator.Simulation;

namespace RecOperator.Bench.Profiling;

/// <summary>
/// `optimize profile --load-test`: the capacity profile measured, not modelled. One real inference pod (in process, on
/// loopback, with the profile's threads and batching) takes open-loop Poisson load over HTTP, starting at the modelled
/// estimate, halved until a rate holds, then bisected between the highest rate that held and the lowest that did not;
/// the profile is the highest rate served with no failure and p99 within the target. The load generator shares the
/// machine with the pod, so on a small host the figure is conservative.
/// </summary>
public static class LoadTestedCapacity
{
    /// <summary>Halvings of the estimate tried at most before giving up, and bisection steps once bracketed.</summary>
    private const int MaxHalvings = 8;
    private const int BisectionSteps = 3;

    private const string ModelName = "profile";

    /// <summary>
    /// With <c>curvePoints</c>: rates run after the profile is found, as multiples of it, so the latency curve is seen
    /// from the flat part through the knee to overload and not only around the target where the bisection looks.
    /// </summary>
    private static readonly double[] CurveMultiples = [0.2, 0.4, 0.6, 0.8, 0.9, 1.1, 1.25];

    /// <param name="curvePoints">When given, receives every rate tried (offered, served, p99, failures), the curve rates included.</param>
    public static Func<ModelProto, CapacityProfile, CancellationToken, Task<CapacityProfile>> For(
        string modelPath, ProfileOptions options, TimeSpan perRate, TextWriter progress, IInferenceEngine? engine = null, ICollection<LatencyPoint>? curvePoints = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        return async (model, modelled, cancellationToken) =>
        {
            var podOptions = BenchPods.Options(ModelName, modelPath, options.Threads) with
            {
                // Merged requests are what the model's batching allows; the pod counts rows, so a batch of b requests is b·candidates rows.
                MaxBatchSize = modelled.MaxBatchRequests * options.Candidates,
                MaxQueueDelayMicros = (int)(options.MaxQueueDelayMs * 1000),
                WarmupRuns = 3,
            };
            await using var pod = await BenchPods.StartAsync(podOptions, engine).ConfigureAwait(false);
            using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
            var specs = InputSpecs.Of(model);
            var request = SyntheticRequest.Create(specs, options.Candidates, new DeterministicRandom(options.Seed));
            var send = clients.Rest(ModelName, [.. specs.Select(s => new NamedTensor(s.Name, request.Tensor(s.Name, s.ElementType)))]);
            await LoadGenerator.WarmUpAsync(send).ConfigureAwait(false);
            var random = new Random((int)options.Seed);
            var tried = 0;
            async Task<(LoadResult Result, bool Held)> RunAsync(double rate)
            {
                cancellationToken.ThrowIfCancellationRequested();
                tried++;
                var result = await LoadGenerator.OpenLoopAsync(string.Create(CultureInfo.InvariantCulture, $"profile @ {rate:F0}/s"), rate, perRate, options.Candidates, send, random)
                    .ConfigureAwait(false);
                await progress.WriteLineAsync(result.Line()).ConfigureAwait(false);
                curvePoints?.Add(new LatencyPoint(rate, result.RequestsPerSecond, result.Completed > 0 ? result.P99 : 0, result.Failed));
                // Held: nothing failed, p99 within the target, and the pod kept up with the arrivals (an open loop that
                // falls behind shows it in the achieved rate before the latencies of a short run do).
                return (result, result.Failed == 0 && result.P99 <= options.P99TargetMs && result.RequestsPerSecond >= 0.9 * rate);
            }

            // From the estimate, halve until a rate holds; then bisect between the highest that held and the lowest that did not.
            var rate = Math.Max(1, modelled.QpsPerReplica);
            LoadResult? best = null;
            double? missed = null;
            for (var i = 0; i <= MaxHalvings && best is null; i++, rate /= 2)
            {
                var (result, held) = await RunAsync(rate).ConfigureAwait(false);
                if (held)
                {
                    best = result;
                    missed ??= 2 * rate;
                }
                else
                {
                    missed = rate;
                }
            }
            var low = rate * 2;
            for (var i = 0; i < BisectionSteps && best is not null && missed is { } high; i++)
            {
                var middle = (low + high) / 2;
                var (result, held) = await RunAsync(middle).ConfigureAwait(false);
                (low, missed, best) = held ? (middle, high, result.RequestsPerSecond > best.RequestsPerSecond ? result : best) : (low, middle, best);
            }
            if (curvePoints is not null && best is not null)
            {
                foreach (var multiple in CurveMultiples)
                {
                    await RunAsync(Math.Max(1, Math.Round(multiple * best.RequestsPerSecond))).ConfigureAwait(false);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            return modelled with
            {
                QpsPerReplica = best is null ? 0 : Math.Round(best.RequestsPerSecond, 1),
                P99LatencyMs = best is null ? 0 : Math.Round(best.P99, 3),
                Method = string.Create(CultureInfo.InvariantCulture,
                    $"load test: one inference pod over HTTP, open-loop Poisson arrivals for {perRate.TotalSeconds:F0} s per rate, {tried} rates from the modelled {modelled.QpsPerReplica} QPS (halved until one held, then bisected); the highest rate served with no failure, p99 within the target and arrivals kept up with (load generator on the same host)"),
            };
        };
    }
}
