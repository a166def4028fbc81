using RecOperator.Crds;
using RecOperator.Demo.Setup;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using Xunit.Abstractions;

namespace RecOperator.Demo.Tests.Resilience;

/// <summary>
/// The operator stopped and a fresh instance started against the same cluster under the same steady load: the fleet
/// it finds is right for the load, so no Deployment's replicas may move (a restart must neither scale blind nor scale
/// down before it has measured a full window), while the fresh instance does take over the model's status.
/// </summary>
[Collection(OperatorOutagesCollection.Name)]
public sealed class OperatorRestartEndToEndTests(ITestOutputHelper output)
{
    // This test found the restart thrash (2026-11-22): the autoscaler seeded a model it had not seen with the whole fleet's
    // capacity as demand, and the spot reserve then asked for that much outside spot pools (1 on-demand + 1 spot at
    // 22 QPS became 2 + 2, the spot Deployment was deleted 5 s later and created again 10 s after). The fleet found is now
    // kept for one stabilization window instead (ScalingState.FoundAt).
    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Restart_FreshOperatorUnderSteadyLoad_NoDeploymentsReplicasChange()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        // A short stabilization window, so the watch below outlasts it: a restarted autoscaler that scales down once
        // the window has passed without fresh measurements shows within the test. A loose SLO, so the fleet is sized by
        // the steady demand alone: on a shared 2-core host the p99 tail is the neighbours' doing, and the SLO guard's
        // answers to it would be changes the load did not ask for.
        var options = new DemoOptions { ScaleDownStabilizationSeconds = 15, SloMs = 500 };
        await using var fleet = await FleetUnderTest.StartAsync(options, FleetUnderTest.Int8Only, ct);
        var address = await fleet.WaitForModelAsync(ct);

        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var load = new SteadyLoad(address, fleet.Name, DemoManifests.BaseRps(fleet.Model), TimeSpan.FromMinutes(4));
        var run = load.RunAsync(stopLoad.Token);
        // Settled means past the first operator's own moves too: until a metrics window has filled it holds (metrics
        // missing), so a make-before-break it started (a new on-demand replica ready, the spot one it replaces still
        // there) completes only then. Restarting before that let the first operator finish its own move as it stopped,
        // which read as the restart's doing (2 of 4 runs).
        var settled = await SettleAsync(fleet, load, TimeSpan.FromSeconds(2 * options.WindowSeconds + 10), TimeSpan.FromSeconds(15), ct);

        await using var changes = await ReplicaChangeLog.StartAsync(fleet.Client, fleet.Namespace, fleet.ModelSelector, ct);
        var statusBefore = await StatusVersionAsync(fleet, ct);
        await fleet.StopOperatorAsync();
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var restartedAt = load.Elapsed;
        fleet.StartOperator();
        await Task.Delay(TimeSpan.FromSeconds(options.ScaleDownStabilizationSeconds + 10), ct);
        var statusAfter = await StatusVersionAsync(fleet, ct);
        await stopLoad.CancelAsync();
        await run;

        var outcomes = load.Outcomes.Snapshot();
        var failed = outcomes.Count(o => !o.Ok);
        var because = $"settled fleet {settled} at {restartedAt.TotalSeconds - 3:F1} s of load, operator restarted at {restartedAt.TotalSeconds:F1} s; "
            + $"replicas changes: [{string.Join("; ", changes.Changes)}]; {outcomes.Count} requests, {failed} failed\n{fleet.Because()}";
        output.WriteLine(because[..because.IndexOf('\n', StringComparison.Ordinal)]);
        output.WriteLine(fleet.FleetHistory());
        changes.Changes.Should().BeEmpty(because);
        statusAfter.Should().NotBe(statusBefore, "the fresh operator must be reconciling the model and writing its status; " + because);
        failed.Should().BeLessThanOrEqualTo(outcomes.Count / 100, because);
    }

    /// <summary>
    /// Waits until the load has run for <paramref name="minimumLoad"/> and the model's Deployments have kept the same
    /// replicas, all ready, for <paramref name="quiet"/>; returns them as "name=replicas" pairs.
    /// </summary>
    private static async Task<string> SettleAsync(FleetUnderTest fleet, SteadyLoad load, TimeSpan minimumLoad, TimeSpan quiet, CancellationToken ct)
    {
        var deadline = load.Elapsed + TimeSpan.FromSeconds(90);
        var (last, since) = ("", load.Elapsed);
        while (true)
        {
            var deployments = await fleet.Client.For<V1Deployment>()
                .ListAsync(fleet.Namespace, new ListOptions { LabelSelector = fleet.ModelSelector }, ct);
            var now = string.Join(",", deployments.Items.Select(d => $"{d.Metadata!.Name}={d.Spec?.Replicas}").Order(StringComparer.Ordinal));
            var allReady = deployments.Items.All(d => (d.Status?.ReadyReplicas ?? 0) == (d.Spec?.Replicas ?? 0));
            if (now != last || !allReady)
            {
                (last, since) = (now, load.Elapsed);
            }
            else if (load.Elapsed >= minimumLoad && load.Elapsed - since >= quiet)
            {
                return now;
            }
            if (load.Elapsed > deadline)
            {
                throw new TimeoutException($"the fleet did not settle under steady load within 90 s; last: {now}, all ready: {allReady}\n{fleet.Because()}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    private static async Task<string?> StatusVersionAsync(FleetUnderTest fleet, CancellationToken ct) =>
        (await fleet.Client.For<RecModel>().GetAsync(fleet.Name, fleet.Namespace, ct)).Metadata?.ResourceVersion;
}
