using System.Diagnostics;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>
/// What kubectl shows of running pods: `kubectl logs` (the pod's log subresource, read from the node agent's log
/// files: container choice, --tail, -f across a restart) and `kubectl get pods` with the real printer's STATUS and
/// RESTARTS (CrashLoopBackOff, "n (Xs ago)", Terminating).
/// </summary>
[Collection(NodeAgentCollection.Name)]
public sealed class PodLogsAndTableTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task KubectlLogs_RunningPod_PrintsItsOutputTailAndRefusesAnotherContainer()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(HttpPod("talker", "work"), ns);
        await WaitForAsync(async () => IsReady(await pods.GetAsync("talker", ns)), "a ready pod");
        var pid = PidOf(await pods.GetAsync("talker", ns));

        var all = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["logs", "-n", ns, "pod/talker"]);
        var tail = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["logs", "-n", ns, "talker", "-c", "web", "--tail=1"]);
        var none = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["logs", "-n", ns, "talker", "--tail=0"]);
        var other = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["logs", "-n", ns, "talker", "-c", "sidecar"]);

        all.ExitCode.Should().Be(0, all.ToString());
        all.Stdout.Should().Contain($"listening {pid} on ");
        tail.Stdout.TrimEnd('\n').Split('\n').Should().ContainSingle().Which.Should().StartWith($"listening {pid}");
        none.Stdout.Should().BeEmpty();
        other.ExitCode.Should().NotBe(0);
        other.Stderr.Should().Contain("container sidecar is not valid for pod talker");
        await pods.DeleteAsync("talker", ns);
    }

    [Fact]
    public async Task KubectlLogsFollow_ContainerRestarts_StreamsTheNewRunThenEndsWhenThePodIsDeleted()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(HttpPod("follow", "work", grace: 1), ns);
        await WaitForAsync(async () => IsReady(await pods.GetAsync("follow", ns)), "a ready pod");
        var first = PidOf(await pods.GetAsync("follow", ns));
        var start = new ProcessStartInfo("kubectl", ["--kubeconfig", cluster.Server.KubeconfigPath!, "logs", "-f", "-n", ns, "follow"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var follower = Process.Start(start)!;
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await follower.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
        await WaitForAsync(() => Task.FromResult(Snapshot(lines).Any(l => l.StartsWith($"listening {first}", StringComparison.Ordinal))), "the first run's line");

        Process.GetProcessById(first).Kill();
        await WaitForAsync(async () => (await pods.GetAsync("follow", ns)).Status?.ContainerStatuses?[0].RestartCount == 1 && IsReady(await pods.GetAsync("follow", ns)),
            "the restarted container");
        var second = PidOf(await pods.GetAsync("follow", ns));
        await WaitForAsync(() => Task.FromResult(Snapshot(lines).Any(l => l.StartsWith($"listening {second}", StringComparison.Ordinal))), "the second run's line, followed");
        await pods.DeleteAsync("follow", ns);

        await Task.WhenAny(follower.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(20)));
        var exited = follower.HasExited;
        if (!exited)
        {
            follower.Kill();
        }
        exited.Should().BeTrue("kubectl logs -f ends once the pod is gone");
        await reading;
    }

    [Fact]
    public async Task KubectlGetPods_CrashLoopingContainer_StatusAndRestartsAsTheRealPrinterShowsThem()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(HttpPod("crashy", "work", new Dictionary<string, string> { ["EXIT_AT_ONCE"] = "3" }), ns);
        await WaitForAsync(async () => (await pods.GetAsync("crashy", ns)).Status?.ContainerStatuses?[0] is { RestartCount: >= 1, State.Waiting.Reason: "CrashLoopBackOff" },
            "CrashLoopBackOff after a restart");

        // The back-off ends and the container runs again (briefly: it exits at once), so a read can land in a
        // Running moment; the crash state is read again until kubectl shows it (the container is back in it within
        // a second or two).
        var table = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["get", "pods", "-n", ns, "--no-headers"]);
        for (var attempt = 0; attempt < 20 && table.Stdout.Contains(" Running ", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(250);
            table = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["get", "pods", "-n", ns, "--no-headers"]);
        }

        table.ExitCode.Should().Be(0, table.ToString());
        var cells = table.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        cells[0].Should().Be("crashy");
        cells[1].Should().Be("0/1");
        cells[2].Should().BeOneOf("CrashLoopBackOff", "Error", "ExitCode:3");
        table.Stdout.Should().MatchRegex(@"crashy\s+0/1\s+\S+\s+\d+ \(\d+s ago\)\s+\d+s", "RESTARTS says when the last restart was");
        await pods.DeleteAsync("crashy", ns);
    }

    [Fact]
    public async Task KubectlGetPodsWide_RunningThenDeleted_ReadyRunningNodeThenTerminating()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        var pod = HttpPod("slowstop", "work", new Dictionary<string, string> { ["IGNORE_TERM"] = "1" }, grace: 3);
        await pods.CreateAsync(pod, ns);
        await WaitForAsync(async () => IsReady(await pods.GetAsync("slowstop", ns)), "a ready pod");
        var node = (await pods.GetAsync("slowstop", ns)).Spec!.NodeName!;

        var running = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["get", "pods", "-n", ns, "-o", "wide", "--no-headers"]);
        await pods.DeleteAsync("slowstop", ns);
        var terminating = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["get", "pods", "-n", ns, "--no-headers"]);

        running.Stdout.Should().MatchRegex($@"slowstop\s+1/1\s+Running\s+0\s+\d+s\s+\S+\s+{node}\s+<none>\s+<none>");
        terminating.Stdout.Should().MatchRegex(@"slowstop\s+\d/1\s+Terminating\s+0");
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }
}
