using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.Disruption;

/// <summary>
/// The real `kubectl drain` end to end: it cordons the node, lists its pods by spec.nodeName, evicts them through
/// the policy/v1 Eviction subresource, retries the evictions the PodDisruptionBudget refuses, and waits for the pods
/// to be gone, while the Deployment replaces them on the other nodes; and it refuses a pod no controller owns.
/// </summary>
public sealed class DrainTests : IClassFixture<DrainCluster>
{
    private readonly DrainCluster _cluster;

    public DrainTests(DrainCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task Drain_NodeHoldingAllThreeReplicasUnderMinAvailableTwo_MovesThemOneAtATimeAndNeverBelowTwoReady()
    {
        var ns = await NewNamespaceAsync(_cluster.Client);
        var node = DrainCluster.Node(0);
        try
        {
            // All three replicas on drain-0: the others are cordoned while the Deployment starts.
            await KubectlOkAsync(["cordon", DrainCluster.Node(1), DrainCluster.Node(2)]);
            var deployment = HttpDeployment("web", 3, DrainCluster.Pool);
            await _cluster.Client.For<V1Deployment>().CreateAsync(deployment, ns);
            await KubectlOkAsync(["create", "pdb", "web", "-n", ns, "--selector=app=web", "--min-available=2"]);
            await WaitForAsync(async () => await PodsAsync(_cluster.Client, ns) is { Count: 3 } pods && pods.All(p => IsReady(p) && p.Spec!.NodeName == node), "3 ready pods on drain-0");
            await WaitForAsync(async () => (await _cluster.Client.For<V1PodDisruptionBudget>().GetAsync("web", ns)).Status is { DisruptionsAllowed: 1, CurrentHealthy: 3 },
                "the budget to allow one disruption");
            await KubectlOkAsync(["uncordon", DrainCluster.Node(1), DrainCluster.Node(2)]);
            var original = (await PodsAsync(_cluster.Client, ns)).Select(p => p.Metadata!.Name!).ToList();

            // A server-side dry run judges every eviction against the untouched budget and changes nothing.
            var dryRun = await _cluster.KubectlAsync(["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--dry-run=server", "--timeout=30s"], 45);
            dryRun.ExitCode.Should().Be(0, dryRun.ToString());
            dryRun.Stdout.Should().Contain($"node/{node} drained (server dry run)");
            (await _cluster.Client.For<V1Node>().GetAsync(node)).Spec!.Unschedulable.Should().NotBe(true);
            (await PodsAsync(_cluster.Client, ns)).Select(p => p.Metadata!.Name).Should().BeEquivalentTo(original);

            await using var recorder = await ReadyPodsRecorder.StartAsync(_cluster.Client, ns);
            var drain = await _cluster.KubectlAsync(["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=120s"], 150);

            drain.ExitCode.Should().Be(0, drain.ToString());
            drain.Stdout.Should().Contain($"node/{node} cordoned").And.Contain($"node/{node} drained");
            foreach (var name in original)
            {
                drain.Stdout.Should().Contain($"evicting pod {ns}/{name}").And.Contain($"pod/{name} evicted");
            }
            // Three evictions start together and the budget allows one: the others got the budget's 429 and waited.
            drain.Stderr.Should().Contain($"(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.");
            var drained = await _cluster.Client.For<V1Node>().GetAsync(node);
            drained.Spec!.Unschedulable.Should().BeTrue();
            drained.Spec.Taints.Should().Contain(t => t.Key == NodeStatusBuilder.UnschedulableTaint && t.Effect == "NoSchedule");
            await WaitForAsync(async () => await PodsAsync(_cluster.Client, ns) is { Count: 3 } pods && pods.All(IsReady), "3 ready replacements");
            var replacements = await PodsAsync(_cluster.Client, ns);
            replacements.Select(p => p.Metadata!.Name).Should().NotIntersectWith(original);
            replacements.Should().OnlyContain(p => p.Spec!.NodeName != node, "drain-0 is cordoned");
            recorder.FewestServing.Should().BeGreaterThanOrEqualTo(2, "the budget keeps two of three serving throughout");
            var gone = recorder.Deleted;
            gone.Keys.Should().BeEquivalentTo(original);
            gone.Values.Should().OnlyContain(p => p.Status!.Conditions!.Any(c => c.Type == "DisruptionTarget" && c.Status == "True" && c.Reason == "EvictionByEvictionAPI"),
                "each evicted pod kept its DisruptionTarget condition to the end");
        }
        finally
        {
            await _cluster.KubectlAsync(["uncordon", DrainCluster.Node(0), DrainCluster.Node(1), DrainCluster.Node(2)]);
            await _cluster.Client.For<V1Namespace>().DeleteAsync(ns);
        }
    }

    [Fact]
    public async Task Drain_NodeWithAPodNoControllerOwns_RefusesWithKubectlsMessageUnlessForced()
    {
        var ns = await NewNamespaceAsync(_cluster.Client);
        var node = DrainCluster.Node(2);
        try
        {
            var spec = DrainCluster.PodSpec();
            spec = spec with { NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = node } };
            await _cluster.Client.For<V1Pod>().CreateAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "bare" }, Spec = spec }, ns);
            await WaitForAsync(async () => IsReady(await _cluster.Client.For<V1Pod>().GetAsync("bare", ns)), "the bare pod to run");

            var refused = await _cluster.KubectlAsync(["drain", node, "--ignore-daemonsets", "--timeout=30s"], 45);

            refused.ExitCode.Should().Be(1, refused.ToString());
            refused.Stderr.Should().Contain($"cannot delete Pods that declare no controller (use --force to override): {ns}/bare");
            (await _cluster.Client.For<V1Pod>().GetAsync("bare", ns)).Metadata!.DeletionTimestamp.Should().BeNull("nothing is evicted when a pod is refused");

            var forced = await _cluster.KubectlAsync(["drain", node, "--ignore-daemonsets", "--force", "--timeout=60s"], 75);

            forced.ExitCode.Should().Be(0, forced.ToString());
            forced.Stderr.Should().Contain($"Warning: deleting Pods that declare no controller: {ns}/bare");
            forced.Stdout.Should().Contain("pod/bare evicted").And.Contain($"node/{node} drained");
            (await _cluster.Client.For<V1Pod>().TryGetAsync("bare", ns)).Should().BeNull("a bare pod is not replaced");
        }
        finally
        {
            await _cluster.KubectlAsync(["uncordon", node]);
            await _cluster.Client.For<V1Namespace>().DeleteAsync(ns);
        }
    }

    private async Task KubectlOkAsync(string[] args)
    {
        var result = await _cluster.KubectlAsync(args);
        result.ExitCode.Should().Be(0, result.ToString());
    }
}
