using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>Deleting a pod is graceful: SIGTERM, the grace period to drain, SIGKILL after it, then the object is removed.</summary>
[Collection(NodeAgentCollection.Name)]
public sealed class TerminationTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task PodDelete_ProcessDrainsOnSigterm_InFlightRequestFinishesThenPodIsRemoved()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var events = Path.Combine(cluster.DataDirectory, ns + "-events");
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(HttpPod("drain", "work", new Dictionary<string, string> { ["EVENTS_FILE"] = events }, grace: 20), ns);
        await WaitForAsync(async () => IsReady(await pods.GetAsync("drain", ns)), "a ready pod");
        var pod = await pods.GetAsync("drain", ns);
        var pid = PidOf(pod);
        var slow = GetAsync(HostPortOf(pod), "/slow");
        await WaitForAsync(() => Task.FromResult(File.Exists(events)), "the events file");
        await Task.Delay(300);

        await pods.DeleteAsync("drain", ns);

        var terminating = await pods.TryGetAsync("drain", ns);
        terminating.Should().NotBeNull("a running pod is only marked for deletion until its kubelet has stopped it");
        terminating!.Metadata!.DeletionTimestamp.Should().NotBeNull();
        terminating.Metadata.DeletionGracePeriodSeconds.Should().Be(20);
        (await slow).Should().Be(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "the in-flight request finishes during the drain");
        await WaitForAsync(async () => await pods.TryGetAsync("drain", ns) is null, "the pod object to be removed");
        File.ReadAllLines(events).Should().Equal($"listening {pid}", $"sigterm {pid}", $"drained {pid}");
        IsAlive(pid).Should().BeFalse();
    }

    [Fact]
    public async Task PodDelete_ProcessIgnoresSigterm_KilledAfterTheGracePeriod()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var events = Path.Combine(cluster.DataDirectory, ns + "-events");
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(HttpPod("stubborn", "work", new Dictionary<string, string> { ["EVENTS_FILE"] = events, ["IGNORE_TERM"] = "1" }, grace: 1), ns);
        await WaitForAsync(async () => IsReady(await pods.GetAsync("stubborn", ns)), "a ready pod");
        var pid = PidOf(await pods.GetAsync("stubborn", ns));

        await pods.DeleteAsync("stubborn", ns);

        await WaitForAsync(async () => await pods.TryGetAsync("stubborn", ns) is null, "the pod object to be removed", 15);
        IsAlive(pid).Should().BeFalse();
        File.ReadAllLines(events).Should().Equal($"listening {pid}", $"sigterm {pid}");
    }

    [Fact]
    public async Task PodDelete_NotScheduled_RemovedAtOnce()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(HttpPod("nowhere", "no-such-pool"), ns);

        await pods.DeleteAsync("nowhere", ns);

        (await pods.TryGetAsync("nowhere", ns)).Should().BeNull("only a pod bound to a node has a kubelet to wait for");
    }

    [Fact]
    public async Task PodDelete_GracePeriodZero_RemovedAtOnceAndProcessStopped()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(HttpPod("forced", "work"), ns);
        await WaitForAsync(async () => IsReady(await pods.GetAsync("forced", ns)), "a ready pod");
        var pid = PidOf(await pods.GetAsync("forced", ns));

        await pods.DeleteAsync("forced", ns, new V1DeleteOptions { GracePeriodSeconds = 0 });

        (await pods.TryGetAsync("forced", ns)).Should().BeNull();
        await WaitForAsync(() => Task.FromResult(!IsAlive(pid)), "the orphaned process to be stopped", 15);
    }
}
