using System.Globalization;
using System.Text.RegularExpressions;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>The kubelet's restarts: a failing liveness probe restarts the container; one that keeps crashing backs off (CrashLoopBackOff).</summary>
[Collection(NodeAgentCollection.Name)]
public sealed partial class RestartTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task LivenessProbe_StartsFailing_ContainerRestartedInPlaceAndReadyAgain()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pod = HttpPod("live", "work");
        var container = pod.Spec!.Containers![0] with
        {
            // The initial delay and three failures give node time to listen: like the kubelet's, earlier failures count.
            LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = "http", Path = "/healthz" }, InitialDelaySeconds = 2, PeriodSeconds = 1, FailureThreshold = 3 },
        };
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(pod with { Spec = pod.Spec with { Containers = [container] } }, ns);
        await WaitForAsync(async () => IsReady(await pods.GetAsync("live", ns)), "a ready pod");
        var before = await pods.GetAsync("live", ns);
        var firstPid = PidOf(before);

        await GetAsync(HostPortOf(before), "/sicken");

        await WaitForAsync(async () => await pods.GetAsync("live", ns) is var p && p.Status!.ContainerStatuses![0].RestartCount == 1 && IsReady(p),
            "restartCount 1 and Ready again");
        var after = await pods.GetAsync("live", ns);
        after.Metadata!.Uid.Should().Be(before.Metadata!.Uid);
        PidOf(after).Should().NotBe(firstPid);
        IsAlive(firstPid).Should().BeFalse("the unhealthy process was stopped");
        after.Status!.ContainerStatuses![0].LastState!.Terminated.Should().NotBeNull();
        (await GetAsync(HostPortOf(after), "/healthz")).Should().Be("ok", "the new process starts healthy");
        await pods.DeleteAsync("live", ns);
    }

    [Fact]
    public async Task Container_ExitsAtOnce_WaitsInCrashLoopBackOffWithGrowingDelays()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(HttpPod("crashy", "work", new Dictionary<string, string> { ["EXIT_AT_ONCE"] = "3" }), ns);
        var backoffs = new List<int>();
        var restartCounts = new List<int>();
        V1ContainerStatus? last = null;

        // The fixture's backoff starts at 1 s and doubles: restarts at once, then after 1 s, 2 s, 4 s.
        await WaitForAsync(async () =>
        {
            last = (await pods.GetAsync("crashy", ns)).Status?.ContainerStatuses?.FirstOrDefault();
            if (last is null)
            {
                return false;
            }
            restartCounts.Add(last.RestartCount);
            if (last.State?.Waiting is { Reason: "CrashLoopBackOff", Message: { } message }
                && int.Parse(BackOff().Match(message).Groups[1].Value, CultureInfo.InvariantCulture) is var seconds
                && (backoffs.Count == 0 || backoffs[^1] != seconds))
            {
                backoffs.Add(seconds);
            }
            return backoffs.Count >= 2 && last.RestartCount >= 3;
        }, "two CrashLoopBackOff waits and three restarts", 40);
        await pods.DeleteAsync("crashy", ns);

        backoffs.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems().And.OnlyContain(s => s >= 1);
        restartCounts.Should().BeInAscendingOrder("restartCount only rises");
        last!.LastState!.Terminated!.ExitCode.Should().Be(3);
        last.Ready.Should().BeFalse();
    }

    [Fact]
    public async Task Container_FailsWithFallbackToLogsOnError_TerminationMessageIsTheEndOfItsLog()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        var env = new Dictionary<string, string> { ["EXIT_AT_ONCE"] = "2", ["EXIT_MESSAGE"] = "starting\npod: artifact 'x.onnx' is broken" };
        var fallback = HttpPod("fallback", "work", env);
        fallback.Spec!.Containers[0] = fallback.Spec.Containers[0] with { TerminationMessagePolicy = "FallbackToLogsOnError" };
        await pods.CreateAsync(fallback, ns);
        await pods.CreateAsync(HttpPod("file-policy", "work", env), ns);
        V1ContainerStateTerminated? withFallback = null;
        V1ContainerStateTerminated? withFile = null;

        await WaitForAsync(async () =>
        {
            withFallback = (await pods.GetAsync("fallback", ns)).Status?.ContainerStatuses?.FirstOrDefault()?.LastState?.Terminated;
            withFile = (await pods.GetAsync("file-policy", ns)).Status?.ContainerStatuses?.FirstOrDefault()?.LastState?.Terminated;
            return withFallback is not null && withFile is not null;
        }, "both containers exited once", 40);
        await pods.DeleteAsync("fallback", ns);
        await pods.DeleteAsync("file-policy", ns);

        withFallback!.ExitCode.Should().Be(2);
        withFallback.Message.Should().EndWith("starting\npod: artifact 'x.onnx' is broken", "the kubelet's fallback is the tail of this run's log");
        withFile!.Message.Should().BeNull("the File policy reads a file the process never wrote");
    }

    [GeneratedRegex(@"^back-off (\d+)s restarting failed container=web ")]
    private static partial Regex BackOff();
}
