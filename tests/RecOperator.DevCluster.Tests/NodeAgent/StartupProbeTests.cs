using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>
/// The kubelet's startup probe on real processes: until it succeeds the container is not started and neither liveness
/// nor readiness runs; one that keeps failing kills the container, which restartPolicy restarts.
/// </summary>
[Collection(NodeAgentCollection.Name)]
public sealed class StartupProbeTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task StartupProbe_NotYetSucceeded_HoldsLivenessAndReadinessUntilItDoes()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var folder = Directory.CreateTempSubdirectory("startup-probe-").FullName;
        var started = Path.Combine(folder, "started");
        // Each probe leaves a line in its own file, so the test sees which ran without timing them.
        V1Probe Probe(string log, int failureThreshold) => new()
        {
            Exec = new V1ExecAction { Command = ["sh", "-c", $"echo x >> {Path.Combine(folder, log)}; test -f {started}"] },
            PeriodSeconds = 1, FailureThreshold = failureThreshold,
        };
        var pod = HttpPod("slow-start", "work");
        var container = pod.Spec!.Containers![0] with
        {
            StartupProbe = Probe("startup.log", 60),
            // Would fail at once and restart the container, were it running before the startup probe succeeds.
            LivenessProbe = Probe("liveness.log", 1),
        };
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(pod with { Spec = pod.Spec with { Containers = [container] } }, ns);

        await WaitForAsync(() => Task.FromResult(File.Exists(Path.Combine(folder, "startup.log"))
            && File.ReadAllLines(Path.Combine(folder, "startup.log")).Length >= 3), "three startup probes");
        var waiting = (await pods.GetAsync("slow-start", ns)).Status!.ContainerStatuses![0];
        waiting.State!.Running.Should().NotBeNull();
        waiting.Started.Should().BeFalse("the startup probe has not succeeded");
        waiting.Ready.Should().BeFalse("readiness waits for the startup probe");
        waiting.RestartCount.Should().Be(0, "liveness does not run before the startup probe succeeds");
        File.Exists(Path.Combine(folder, "liveness.log")).Should().BeFalse("liveness does not run before the startup probe succeeds");

        await File.WriteAllTextAsync(started, "");

        await WaitForAsync(async () => IsReady(await pods.GetAsync("slow-start", ns)), "a ready pod once started");
        var running = (await pods.GetAsync("slow-start", ns)).Status!.ContainerStatuses![0];
        running.Started.Should().BeTrue();
        running.RestartCount.Should().Be(0);
        await WaitForAsync(() => Task.FromResult(File.Exists(Path.Combine(folder, "liveness.log"))), "liveness probing once started");
        var startupRuns = File.ReadAllLines(Path.Combine(folder, "startup.log")).Length;
        await WaitForAsync(() => Task.FromResult(File.ReadAllLines(Path.Combine(folder, "liveness.log")).Length >= 3), "three liveness probes");
        File.ReadAllLines(Path.Combine(folder, "startup.log")).Length.Should().Be(startupRuns, "a startup probe that succeeded does not run again");
        await pods.DeleteAsync("slow-start", ns);
    }

    [Fact]
    public async Task StartupProbe_NeverSucceeds_ContainerKilledAndRestarted()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pod = HttpPod("never-starts", "work");
        var container = pod.Spec!.Containers![0] with
        {
            StartupProbe = new V1Probe { Exec = new V1ExecAction { Command = ["false"] }, PeriodSeconds = 1, FailureThreshold = 2 },
        };
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(pod with { Spec = pod.Spec with { Containers = [container] } }, ns);

        await WaitForAsync(async () => (await pods.GetAsync("never-starts", ns)).Status?.ContainerStatuses?[0].RestartCount >= 1, "a restart");
        var status = (await pods.GetAsync("never-starts", ns)).Status!.ContainerStatuses![0];
        status.LastState!.Terminated.Should().NotBeNull("the killed instance is recorded");
        status.Started.Should().BeFalse();
        status.Ready.Should().BeFalse();
        await pods.DeleteAsync("never-starts", ns);
    }
}
