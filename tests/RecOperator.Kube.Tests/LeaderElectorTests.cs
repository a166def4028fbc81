using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Leadership;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.Kube.Tests;

public sealed class LeaderElectorTests : FakeServerTest
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(1.5);
    private FakeCollection _leases = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _leases = Server.AddCollection("/apis/coordination.k8s.io/v1/namespaces/default/leases", "Lease", "coordination.k8s.io/v1");
    }

    [Fact]
    public void Defaults_AreClientGoTimings()
    {
        var options = new LeaderElectionOptions { LeaseName = "l", LeaseNamespace = "ns", Identity = "a" };
        (options.LeaseDuration, options.RenewDeadline, options.RetryPeriod).Should().Be((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)));
        FluentActions.Invoking(() => (options with { RenewDeadline = TimeSpan.FromSeconds(20) }).Validate()).Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(null, 0, true)]
    [InlineData("me", 0, true)]
    [InlineData("other", 14, false)]
    [InlineData("other", 15, true)]
    public void CanTake_HolderAndTimeSinceObserved_DecidesTakeover(string? holder, int secondsSinceObserved, bool expected)
    {
        var now = DateTimeOffset.UnixEpoch.AddHours(1);
        var spec = new V1LeaseSpec { HolderIdentity = holder, LeaseDurationSeconds = 15 };

        LeaseDecision.CanTake(spec, "me", now.AddSeconds(-secondsSinceObserved), now, TimeSpan.FromSeconds(15)).Should().Be(expected);
    }

    [Fact]
    public void Next_NewHolder_CountsTransitionAndSetsTimes()
    {
        var now = DateTimeOffset.UnixEpoch;
        var next = LeaseDecision.Next(new V1LeaseSpec { HolderIdentity = "old", LeaseTransitions = 3 }, "me", now, TimeSpan.FromSeconds(15));

        next.Should().BeEquivalentTo(new V1LeaseSpec { HolderIdentity = "me", LeaseTransitions = 4, AcquireTime = now, RenewTime = now, LeaseDurationSeconds = 15 });
    }

    [Fact]
    public async Task RunAsync_LeaderStops_ReleasesAndOtherLeadsWithinOneLeaseDuration()
    {
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var (a, runA) = Start("a", stopA.Token);
        await Eventually.Until(() => a.IsLeader);
        var (b, runB) = Start("b", stopB.Token);
        await Task.Delay(LeaseDuration);
        b.IsLeader.Should().BeFalse("a renews its lease");

        var stopped = Stopwatch.StartNew();
        await stopA.CancelAsync();
        await runA;
        await Eventually.Until(() => b.IsLeader);

        stopped.Elapsed.Should().BeLessThan(LeaseDuration);
        _leases.Get("operator")!["spec"]!["holderIdentity"]!.GetValue<string>().Should().Be("b");
        _leases.Get("operator")!["spec"]!["leaseTransitions"]!.GetValue<int>().Should().Be(1);
        await stopB.CancelAsync();
        await runB;
    }

    [Fact]
    public async Task RunAsync_LeaderVanishesWithoutRelease_OtherTakesOverAfterLeaseExpires()
    {
        using var stopB = new CancellationTokenSource();
        var now = DateTimeOffset.UtcNow;
        await Client.For<V1Lease>().CreateAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "operator", Namespace = "default" },
            Spec = new V1LeaseSpec { HolderIdentity = "crashed", LeaseDurationSeconds = 1, RenewTime = now, AcquireTime = now },
        });

        var started = Stopwatch.StartNew();
        var (b, runB) = Start("b", stopB.Token);
        await Eventually.Until(() => b.IsLeader);

        started.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), "the crashed leader's lease must expire first");
        await stopB.CancelAsync();
        await runB;
    }

    [Fact]
    public async Task RunAsync_RenewalsFailPastRenewDeadline_StopsLeadingAndCancelsWork()
    {
        using var stop = new CancellationTokenSource();
        var workCancelled = new TaskCompletionSource();
        var elector = new LeaderElector(Client, Options("a"), NullLogger.Instance);
        var run = elector.RunAsync(
            async ct =>
            {
                await using var registration = ct.Register(() => workCancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, ct);
            },
            stop.Token);
        await Eventually.Until(() => elector.IsLeader);

        Server.Intercept = async context =>
        {
            if (context.Request.Method != "PUT")
            {
                return false;
            }

            await FakeResponses.WriteStatusAsync(context, 500, "InternalError", "etcd is unhappy");
            return true;
        };

        await workCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        elector.IsLeader.Should().BeFalse();
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task RunAsync_OnlyTheLeaderRunsItsWork()
    {
        using var stop = new CancellationTokenSource();
        var working = 0;
        var maxWorking = 0;
        var electors = Enumerable.Range(0, 3).Select(i => new LeaderElector(Client, Options($"c{i}"), NullLogger.Instance)).ToList();
        var runs = electors.Select(e => e.RunAsync(
            async ct =>
            {
                var now = Interlocked.Increment(ref working);
                InterlockedMax(ref maxWorking, now);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    Interlocked.Decrement(ref working);
                }
            },
            stop.Token)).ToList();

        await Eventually.Until(() => electors.Any(e => e.IsLeader));
        await Task.Delay(LeaseDuration * 2);

        maxWorking.Should().Be(1);
        electors.Count(e => e.IsLeader).Should().Be(1);
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }

    private (LeaderElector, Task) Start(string identity, CancellationToken stop)
    {
        var elector = new LeaderElector(Client, Options(identity), NullLogger.Instance);
        return (elector, elector.RunAsync(ct => Task.Delay(Timeout.Infinite, ct), stop));
    }

    private static LeaderElectionOptions Options(string identity) => new()
    {
        LeaseName = "operator",
        LeaseNamespace = "default",
        Identity = identity,
        LeaseDuration = LeaseDuration,
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
    };

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
