using System.Collections.Concurrent;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests;

public sealed class WorkQueueTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Add_SameKeyManyTimes_IsHandedOutOnce()
    {
        using var queue = new WorkQueue<string>(timeProvider: _time);
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        (await Take(queue))!.Value.Key.Should().Be("a");
        (await Take(queue))!.Value.Key.Should().Be("b");
        queue.Count.Should().Be(0);
    }

    [Fact]
    public async Task Add_WhileKeyIsProcessed_WaitsForDoneThenComesBackOnce()
    {
        using var queue = new WorkQueue<string>(timeProvider: _time);
        queue.Add("a");
        var first = await Take(queue);
        queue.Add("a");
        queue.Add("a");

        var second = queue.TakeAsync(CancellationToken.None);
        await Task.Delay(50);
        second.IsCompleted.Should().BeFalse("the key is still being processed by the first worker");

        queue.Done(first!.Value.Key);
        (await second.WaitAsync(TimeSpan.FromSeconds(5)))!.Value.Key.Should().Be("a");
        queue.Count.Should().Be(0);
    }

    [Fact]
    public async Task TakeAsync_ManyWorkers_NeverProcessSameKeyConcurrently()
    {
        using var queue = new WorkQueue<int>(timeProvider: _time);
        var inFlight = new ConcurrentDictionary<int, int>();
        var overlaps = 0;
        var processed = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (await queue.TakeAsync(stop.Token) is { Key: var key })
            {
                if (inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        })).ToList();

        for (var round = 0; round < 200; round++)
        {
            queue.Add(round % 5);
            await Task.Yield();
        }

        await queue.ShutDownWithDrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
        overlaps.Should().Be(0);
        processed.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task AddRateLimited_RepeatedFailures_WaitsFiveTenTwentyMilliseconds()
    {
        using var queue = new WorkQueue<string>(new ExponentialFailureRateLimiter<string>(), _time);
        foreach (var expected in new[] { 5, 10, 20, 40 })
        {
            queue.AddRateLimited("k");
            _time.Advance(TimeSpan.FromMilliseconds(expected - 1));
            queue.Count.Should().Be(0, $"the retry is due only after {expected} ms");
            _time.Advance(TimeSpan.FromMilliseconds(1));
            queue.Count.Should().Be(1);
            queue.Done((await Take(queue))!.Value.Key);
        }

        queue.Requeues("k").Should().Be(4);
        queue.Forget("k");
        queue.Requeues("k").Should().Be(0);
    }

    [Fact]
    public void ExponentialFailureRateLimiter_ManyFailures_CapsAtThousandSeconds()
    {
        var limiter = new ExponentialFailureRateLimiter<string>();
        var delays = Enumerable.Range(0, 100).Select(_ => limiter.When("k")).ToList();

        delays[0].Should().Be(TimeSpan.FromMilliseconds(5));
        delays[1].Should().Be(TimeSpan.FromMilliseconds(10));
        delays.Max().Should().Be(TimeSpan.FromSeconds(1000));
        limiter.When("other").Should().Be(TimeSpan.FromMilliseconds(5), "backoff is per key");
    }

    [Fact]
    public void TokenBucketRateLimiter_BurstUsedUp_SpacesRetriesAtTheRate()
    {
        var bucket = new TokenBucketRateLimiter<string>(10, 100, _time);

        Enumerable.Range(0, 100).Select(i => bucket.When($"k{i}")).Should().OnlyContain(d => d == TimeSpan.Zero);
        bucket.When("x").Should().Be(TimeSpan.FromMilliseconds(100));
        bucket.When("y").Should().Be(TimeSpan.FromMilliseconds(200));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        bucket.When("z").Should().Be(TimeSpan.FromMilliseconds(200), "one token came back in 100 ms and two were owed");
        _time.Advance(TimeSpan.FromSeconds(60));
        bucket.When("later").Should().Be(TimeSpan.Zero, "the bucket refills up to its burst");
    }

    [Fact]
    public void AddRateLimited_ControllerDefaultPastBurst_BucketDelaysKeysWhoseOwnBackoffIsShort()
    {
        using var queue = new WorkQueue<string>(MaxOfRateLimiter<string>.ControllerDefault(_time), _time);
        for (var i = 0; i < 100; i++)
        {
            queue.AddRateLimited($"k{i}");
        }

        queue.AddRateLimited("past-burst-1");
        queue.AddRateLimited("past-burst-2");

        _time.Advance(TimeSpan.FromMilliseconds(5));
        queue.Count.Should().Be(100, "within the burst of 100 each key waits only its own 5 ms backoff");
        _time.Advance(TimeSpan.FromMilliseconds(94));
        queue.Count.Should().Be(100, "past the burst the bucket's 10 per second decides, though each key's own backoff is 5 ms");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        queue.Count.Should().Be(101);
        _time.Advance(TimeSpan.FromMilliseconds(99));
        queue.Count.Should().Be(101, "the next token is another 100 ms away");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        queue.Count.Should().Be(102);
        queue.Requeues("past-burst-2").Should().Be(1, "the per-key backoff is still at its first 5 ms step");
    }

    [Fact]
    public void AddAfter_TwiceForOneKey_EarlierDeadlineWins()
    {
        using var queue = new WorkQueue<string>(timeProvider: _time);
        queue.AddAfter("k", TimeSpan.FromSeconds(10));
        queue.AddAfter("k", TimeSpan.FromSeconds(2));
        queue.AddAfter("k", TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(2));
        queue.Count.Should().Be(1);
        _time.Advance(TimeSpan.FromSeconds(60));
        queue.Count.Should().Be(1, "the later deadlines were folded into the earlier one");
    }

    [Fact]
    public async Task ShutDownWithDrain_KeyInProgress_WaitsForDoneAndRejectsNewKeys()
    {
        using var queue = new WorkQueue<string>(timeProvider: _time);
        queue.Add("busy");
        queue.Add("queued");
        var busy = await Take(queue);

        var drain = queue.ShutDownWithDrainAsync(CancellationToken.None);
        queue.Add("late");
        (await Take(queue))!.Value.Key.Should().Be("queued", "queued keys are still handed out while draining");
        queue.Done("queued");
        drain.IsCompleted.Should().BeFalse();

        queue.Done(busy!.Value.Key);
        await drain.WaitAsync(TimeSpan.FromSeconds(5));
        (await Take(queue)).Should().BeNull("'late' came after shutdown");
    }

    private static Task<WorkItem<string>?> Take(WorkQueue<string> queue) => queue.TakeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
}
