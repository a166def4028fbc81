using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>Registered nodes heartbeat like kubelets: the Ready condition's lastHeartbeatTime and the node's Lease in kube-node-lease advance.</summary>
[Collection(NodeAgentCollection.Name)]
public sealed class NodeHeartbeatTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task RegisteredNode_AfterAHeartbeatInterval_AdvancesReadyHeartbeatAndLeaseRenewTime()
    {
        var nodes = cluster.Client.For<V1Node>();
        var leases = cluster.Client.For<V1Lease>();
        await WaitForAsync(async () => await leases.TryGetAsync("work-0", "kube-node-lease") is not null, "the first lease of work-0");
        var firstReady = Ready(await nodes.GetAsync("work-0"));
        var firstLease = (await leases.GetAsync("work-0", "kube-node-lease")).Spec!;

        // The fixture heartbeats every 2 s; timestamps carry whole seconds, so wait for a strictly later one.
        await WaitForAsync(async () => Ready(await nodes.GetAsync("work-0")).LastHeartbeatTime > firstReady.LastHeartbeatTime
            && (await leases.GetAsync("work-0", "kube-node-lease")).Spec!.RenewTime > firstLease.RenewTime, "a later heartbeat", 15);
        var laterReady = Ready(await nodes.GetAsync("work-0"));
        var laterLease = (await leases.GetAsync("work-0", "kube-node-lease")).Spec!;

        (laterReady.Status, laterReady.Reason).Should().Be(("True", "KubeletReady"));
        laterReady.LastTransitionTime.Should().Be(firstReady.LastTransitionTime, "a heartbeat is not a transition");
        laterLease.HolderIdentity.Should().Be("work-0");
        laterLease.LeaseDurationSeconds.Should().BePositive();
    }

    private static V1NodeCondition Ready(V1Node node) => node.Status!.Conditions!.Single(c => c.Type == "Ready");
}
