using System.Diagnostics;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>The gathering window: a lone request waits for company up to max-queue-delay; a full batch runs at once.</summary>
[Collection(SerialCollection.Name)]
public sealed class BatchWindowTests
{
    [Fact]
    public async Task Infer_SecondRequestArrivesWithinTheWindow_JoinsTheFirstsEngineCallWhichRunsAsSoonAsTheBatchIsFull()
    {
        var model = await TestModels.DlrmAsync();
        // A window of 1 s (the most a pod allows) and room for two 1-row requests.
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 2, MaxQueueDelayMicros = 1_000_000, Workers = 1 });
        using var rest = TestPods.RestClient(pod);
        var reference = TestModels.Reference("dlrm-small");
        var callsBefore = await EngineCalls.ReadAsync(rest);

        var first = InferJson.InferAsync(rest, "dlrm", reference.CreateInputs(1, new DeterministicRandom(3)));
        await Task.Delay(150);
        var firstAnsweredAlone = first.IsCompleted;
        var sinceSecond = Stopwatch.StartNew();
        var second = InferJson.InferAsync(rest, "dlrm", reference.CreateInputs(1, new DeterministicRandom(4)));
        var answers = await Task.WhenAll(first, second);
        sinceSecond.Stop();

        firstAnsweredAlone.Should().BeFalse("a lone 1-row request waits up to the 1 s window for others to join it");
        answers.Should().AllSatisfy(a => a.Should().HaveCount(1));
        (await EngineCalls.ReadAsync(rest) - callsBefore).Should().Be(1, "the second request joined the first's batch");
        sinceSecond.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(700),
            "the second request filled the batch, which then ran at once instead of at the end of the window");
    }

    [Fact]
    public async Task Infer_RequestQueuedBehindALongerEngineCall_RunsAsSoonAsTheWorkerTakesIt()
    {
        var model = await TestModels.DlrmAsync();
        var engine = new SlowEngine(OrtEngine.Create());
        // Room for two rows and a 300 ms window; every engine call takes 300 ms more than the model needs.
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 2, MaxQueueDelayMicros = 300_000, Workers = 1 }, engine);
        using var rest = TestPods.RestClient(pod);
        var reference = TestModels.Reference("dlrm-small");
        engine.RunTime = TimeSpan.FromMilliseconds(300);
        var before = await ReadAsync(rest);

        // The first request fills its batch and runs at once; the second queues behind that 300 ms call, most of its own
        // window, and is taken when the call ends.
        var full = InferJson.InferAsync(rest, "dlrm", reference.CreateInputs(2, new DeterministicRandom(8)));
        await Task.Delay(50);
        var queued = InferJson.InferAsync(rest, "dlrm", reference.CreateInputs(1, new DeterministicRandom(9)));
        (await Task.WhenAll(full, queued)).Select(a => a.Length).Should().Equal(2, 1);
        var after = await ReadAsync(rest);

        // As the pod measured them: the first waited for nothing; the second's window ran out while it waited behind the
        // call, so its batch ran when the worker took it, about 250 ms after it arrived. Counting the window from when the
        // worker took it would make that about 550 ms.
        (after.QueueCount - before.QueueCount).Should().Be(2);
        (after.BatchCount - before.BatchCount).Should().Be(2, "the second request did not fit the first's full batch");
        (after.QueueSum - before.QueueSum).Should().BeLessThan(0.45, "the window counts from a request's arrival, not from when the worker takes it");
    }

    [Fact]
    public async Task Health_WhileTheEngineRunsALongCall_AnswersAtOnce()
    {
        var model = await TestModels.DlrmAsync();
        var engine = new SlowEngine(OrtEngine.Create());
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 2, Workers = 1 }, engine);
        using var rest = TestPods.RestClient(pod);
        engine.RunTime = TimeSpan.FromMilliseconds(1500);

        // A full batch that holds the worker in the engine for 1.5 s, and meanwhile the probes a kubelet would send, and a
        // second inference request that must reach the queue (its depth) while the first still runs.
        var busy = InferJson.InferAsync(rest, "dlrm", TestModels.Reference("dlrm-small").CreateInputs(2, new DeterministicRandom(10)));
        await Task.Delay(100);
        var queued = InferJson.InferAsync(rest, "dlrm", TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(11)));
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 5; i++)
        {
            var probe = Stopwatch.StartNew();
            using var response = await rest.GetAsync(i % 2 == 0 ? "/v2/health/ready" : "/v2/health/live");
            response.EnsureSuccessStatusCode();
            slowest = TimeSpan.FromTicks(Math.Max(slowest.Ticks, probe.Elapsed.Ticks));
        }
        var depthWhileBusy = await PodSeries.SumAsync(rest, "recpod_queue_depth");
        busy.IsCompleted.Should().BeFalse("the engine call lasts 1.5 s");
        await Task.WhenAll(busy, queued);

        slowest.Should().BeLessThan(TimeSpan.FromMilliseconds(500), "probes are answered by the server's threads, not after the engine call");
        depthWhileBusy.Should().Be(1, "the second request reached the queue while the first batch was still running");
    }

    [Fact]
    public async Task Metrics_LoneRequest_QueueDurationHoldsItsWindowAndBatchDurationItsEngineCall()
    {
        var model = await TestModels.DlrmAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 2, MaxQueueDelayMicros = 300_000, Workers = 1 });
        using var rest = TestPods.RestClient(pod);
        var before = await ReadAsync(rest);

        await InferJson.InferAsync(rest, "dlrm", TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(5)));
        var after = await ReadAsync(rest);

        (after.QueueCount - before.QueueCount).Should().Be(1, "one request waited in the queue");
        (after.BatchCount - before.BatchCount).Should().Be(1, "one batch ran");
        var queued = after.QueueSum - before.QueueSum;
        var run = after.BatchSum - before.BatchSum;
        queued.Should().BeInRange(0.29, 5, "a lone request waits out the 300 ms window before its batch runs");
        run.Should().BeGreaterThan(0).And.BeLessThan(queued, "the engine call of one row is far shorter than the window");
        (after.RequestSum - before.RequestSum).Should().BeGreaterThanOrEqualTo(queued + run, "the request's latency holds its wait and its batch's run");
    }

    private static async Task<(double QueueCount, double QueueSum, double BatchCount, double BatchSum, double RequestSum)> ReadAsync(HttpClient rest) =>
        (await PodSeries.SumAsync(rest, "recpod_queue_duration_seconds_count"), await PodSeries.SumAsync(rest, "recpod_queue_duration_seconds_sum"),
            await PodSeries.SumAsync(rest, "recpod_batch_duration_seconds_count"), await PodSeries.SumAsync(rest, "recpod_batch_duration_seconds_sum"),
            await PodSeries.SumAsync(rest, "recpod_request_duration_seconds_sum"));
}
