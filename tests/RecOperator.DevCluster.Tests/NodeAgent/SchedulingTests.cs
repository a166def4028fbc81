using RecOperator.DevCluster.NodeAgent;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>Nodes come and go: pods wait Unschedulable for a node that can take them, and leave a node that goes down.</summary>
[Collection(NodeAgentCollection.Name)]
public sealed class SchedulingTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task Pod_OnlyItsPoolIsDown_StaysPendingUnschedulableThenRunsWhenTheNodeComesBack()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        await cluster.Agent.SetDownAsync("spare", null, down: true, CancellationToken.None);
        await WaitForAsync(async () => (await cluster.Client.For<V1Node>().GetAsync("spare-0")).Spec?.Taints?.Any(t => t.Key == NodeStatusBuilder.UnreachableTaint) == true,
            "the spare node to turn unreachable");
        try
        {
            await pods.CreateAsync(HttpPod("waiter", "spare"), ns);

            await WaitForAsync(async () => Scheduled(await pods.GetAsync("waiter", ns)) is { Status: "False", Reason: "Unschedulable" }, "PodScheduled=False");
            var pending = await pods.GetAsync("waiter", ns);
            pending.Status!.Phase.Should().Be("Pending");
            pending.Spec!.NodeName.Should().BeNull();
            Scheduled(pending)!.Message.Should().StartWith("0/3 nodes are available: ")
                .And.Contain("2 node(s) didn't match Pod's node affinity/selector")
                .And.Contain("1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }");
        }
        finally
        {
            await cluster.Agent.SetDownAsync("spare", null, down: false, CancellationToken.None);
        }

        await WaitForAsync(async () => await pods.GetAsync("waiter", ns) is { Spec.NodeName: "spare-0" } p && IsReady(p), "the pod to run on spare-0");
        var running = await pods.GetAsync("waiter", ns);
        Scheduled(running)!.Status.Should().Be("True");
        IsAlive(PidOf(running)).Should().BeTrue();
        await pods.DeleteAsync("waiter", ns);
    }

    [Fact]
    public async Task KubectlTaint_UntoleratedTaintAddedByHand_StaysAndKeepsThePodPendingUntilRemoved()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        var tainted = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["taint", "nodes", "spare-0", "dedicated=qa:NoSchedule"]);
        tainted.ExitCode.Should().Be(0, tainted.ToString());
        try
        {
            await pods.CreateAsync(HttpPod("outsider", "spare"), ns);

            await WaitForAsync(async () => Scheduled(await pods.GetAsync("outsider", ns)) is { Reason: "Unschedulable" }, "PodScheduled=False");
            // Past the agent's next passes (resync 1 s, heartbeat 2 s): its own taints are synced, the hand-added one is kept.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var taints = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["get", "node", "spare-0", "-o", "jsonpath={range .spec.taints[*]}{.key}={.value}:{.effect}{\"\\n\"}{end}"]);
            taints.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Contain("dedicated=qa:NoSchedule", taints.ToString());
            var pending = await pods.GetAsync("outsider", ns);
            pending.Spec!.NodeName.Should().BeNull();
            Scheduled(pending)!.Message.Should().StartWith("0/3 nodes are available: ")
                .And.Contain("1 node(s) had untolerated taint {dedicated: qa}")
                .And.Contain("2 node(s) didn't match Pod's node affinity/selector");
        }
        finally
        {
            // Not asserted here, so a failure above is the one reported (the taint may already be gone when it fails).
            await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["taint", "nodes", "spare-0", "dedicated=qa:NoSchedule-"]);
        }

        await WaitForAsync(async () => await pods.GetAsync("outsider", ns) is { Spec.NodeName: "spare-0" } p && IsReady(p), "the pod to run on spare-0 once the taint is gone");
        await pods.DeleteAsync("outsider", ns);
    }

    [Fact]
    public async Task Pod_RequestsMoreGpusThanAnyNodeHas_UnschedulableWithInsufficientResource()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pod = HttpPod("greedy", pool: null);
        var container = pod.Spec!.Containers[0] with
        {
            Resources = new V1ResourceRequirements { Limits = new Dictionary<string, RecOperator.Kube.ResourceQuantity> { ["nvidia.com/gpu"] = RecOperator.Kube.ResourceQuantity.Parse("2") } },
        };
        await cluster.Client.For<V1Pod>().CreateAsync(pod with { Spec = pod.Spec with { Containers = [container] } }, ns);

        await WaitForAsync(async () => Scheduled(await cluster.Client.For<V1Pod>().GetAsync("greedy", ns)) is { Reason: "Unschedulable" }, "PodScheduled=False");
        Scheduled(await cluster.Client.For<V1Pod>().GetAsync("greedy", ns))!.Message.Should().StartWith("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");
    }

    [Fact]
    public async Task Node_TakenDown_ItsPodProcessesAreKilledAndTheDeploymentReplacesThemOnTheOtherNode()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        await cluster.Client.For<V1Deployment>().CreateAsync(HttpDeployment("evicted", 2), ns);
        await WaitForAsync(async () => (await PodsAsync(cluster.Client, ns)) is { Count: 2 } p && p.All(IsReady), "2 ready pods");
        var victim = (await PodsAsync(cluster.Client, ns)).Single(p => p.Spec!.NodeName == "work-1");

        await cluster.Agent.SetDownAsync(null, "work-1", down: true, CancellationToken.None);
        try
        {
            await WaitForAsync(async () => (await PodsAsync(cluster.Client, ns)) is { Count: 2 } p && p.All(x => IsReady(x) && x.Spec!.NodeName == "work-0"),
                "both replicas on work-0");
            IsAlive(PidOf(victim)).Should().BeFalse();
            var node = await cluster.Client.For<V1Node>().GetAsync("work-1");
            node.Status!.Conditions!.Single(c => c.Type == "Ready").Status.Should().Be("Unknown");
        }
        finally
        {
            await cluster.Agent.SetDownAsync(null, "work-1", down: false, CancellationToken.None);
        }
        await WaitForAsync(async () => (await cluster.Client.For<V1Node>().GetAsync("work-1")).Status!.Conditions!.Single(c => c.Type == "Ready").Status == "True", "work-1 Ready again");
        await cluster.Client.For<V1Deployment>().DeleteAsync("evicted", ns);
    }

    [Fact]
    public async Task SetDown_PoolOfTwoNodes_MarksBothDownThenBothUp()
    {
        var down = await cluster.Agent.SetDownAsync("work", null, down: true, CancellationToken.None);
        try
        {
            down.Should().Equal("work-0", "work-1");
            var nodes = cluster.Client.For<V1Node>();
            (await nodes.GetAsync("work-0")).Metadata!.Annotations.Should().Contain(NodeSwitch.DownAnnotation, "true");
            (await nodes.GetAsync("work-1")).Metadata!.Annotations.Should().Contain(NodeSwitch.DownAnnotation, "true");
        }
        finally
        {
            await cluster.Agent.SetDownAsync("work", null, down: false, CancellationToken.None);
        }
        foreach (var name in new[] { "work-0", "work-1" })
        {
            (await cluster.Client.For<V1Node>().GetAsync(name)).Metadata!.Annotations?.ContainsKey(NodeSwitch.DownAnnotation).Should().NotBe(true);
            await WaitForAsync(async () => (await cluster.Client.For<V1Node>().GetAsync(name)).Spec?.Taints?.Any(t => t.Key == NodeStatusBuilder.UnreachableTaint) != true,
                $"{name} schedulable again");
        }
    }

    private static V1PodCondition? Scheduled(V1Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
}
