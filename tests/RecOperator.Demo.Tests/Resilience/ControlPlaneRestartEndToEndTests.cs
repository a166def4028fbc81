using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Demo.Setup;
using RecOperator.DevCluster.Storage;
using RecOperator.InferencePod.Configuration;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using Xunit.Abstractions;

namespace RecOperator.Demo.Tests.Resilience;

/// <summary>
/// DevCluster stopped and started again on its data directory while its clients (node agent, router, operator) keep
/// running: every object comes back with its uid and resourceVersion, the custom resources are served again, and
/// the clients' watches resume, so a spec change made after the restart is rendered by the operator and rolled out by the node agent.
/// </summary>
[Collection(FleetDisruptionsCollection.Name)]
public sealed class ControlPlaneRestartEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Restart_SameDataDirectory_EveryObjectBackAndTheOperatorKeepsReconciling()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;
        await using var fleet = await FleetUnderTest.StartAsync(new DemoOptions(), OneInt8Replica, ct);
        await fleet.WaitForModelAsync(ct);
        await Eventually.UntilAsync(c => fleet.Client.For<RecModel>().GetAsync(fleet.Name, fleet.Namespace, c),
            m => m.Status?.ReadyReplicas == 1, TimeSpan.FromSeconds(30), "the RecModel's status showing its ready replica", ct);
        var before = await ServedAsync(fleet, ct);

        var (stopped, restarted) = await fleet.RestartControlPlaneAsync(TimeSpan.FromSeconds(2), ct);

        var because = $"stopped at revision {stopped.Revision}, restarted at {restarted.Revision}\n{fleet.Because()}";
        stopped.Resources.Keys.Should().Contain(["serving.recoperator.io/recmodels", "serving.recoperator.io/nodepools", "apps/deployments", "/services",
            "/endpoints", "/pods", "gateway.networking.k8s.io/httproutes", "/nodes", "coordination.k8s.io/leases", "apiextensions.k8s.io/customresourcedefinitions"], because);
        var (same, rewritten) = Compare(stopped, restarted, because);
        output.WriteLine($"{same} objects back unchanged, {rewritten} rewritten by a client after the restart; {because[..because.IndexOf('\n', StringComparison.Ordinal)]}");
        (await ServedAsync(fleet, ct)).Should().Equal(before, "the API serves every kind again, custom resources included, with the same uids; " + because);

        // The operator's and the node agent's watches must have resumed: a spec change made now is rendered into the
        // Deployment by the reconciler (not the autoscaler, which holds replicas while no load is measured) and rolled
        // out to a new pod by the node agent.
        fleet.Model["spec"]!["batching"]!["maxBatchSize"] = 256;
        await new ManifestApplier(fleet.Client).ApplyAsync(fleet.Model, ct);
        await Eventually.UntilAsync(c => DeploymentAsync(fleet, c), d => RolledOut(d, "256"), TimeSpan.FromSeconds(45),
            "the Deployment carrying maxBatchSize 256 and rolled out to a ready pod", ct);
    }

    private static async Task<V1Deployment> DeploymentAsync(FleetUnderTest fleet, CancellationToken ct) =>
        (await fleet.Client.For<V1Deployment>().ListAsync(fleet.Namespace, new ListOptions { LabelSelector = fleet.ModelSelector }, ct)).Items.Single();

    private static bool RolledOut(V1Deployment deployment, string maxBatchSize) =>
        deployment.Spec!.Template!.Spec!.Containers!.Single().Env!.Any(e => e.Name == PodSettings.MaxBatchSize.EnvironmentVariable && e.Value == maxBatchSize)
        && deployment.Status?.ObservedGeneration == deployment.Metadata?.Generation
        && deployment.Status is { Replicas: 1, UpdatedReplicas: 1, ReadyReplicas: 1 };

    /// <summary>
    /// Every object the stopped server held is in the restarted one with the same uid; byte for byte the same unless a
    /// client has written it since the restart (then its resourceVersion is newer than anything the stopped server gave
    /// out). Returns how many are unchanged and how many were rewritten.
    /// </summary>
    private static (int Same, int Rewritten) Compare(StoreState stopped, StoreState restarted, string because)
    {
        restarted.Revision.Should().BeGreaterThanOrEqualTo(stopped.Revision, because);
        var (same, rewritten) = (0, 0);
        foreach (var (resource, objects) in stopped.Resources)
        {
            foreach (var (key, old) in objects)
            {
                var now = restarted.Of(resource).GetValueOrDefault(key);
                now.Should().NotBeNull($"{resource} {key} must survive the restart; {because}");
                Uid(now!).Should().Be(Uid(old), $"{resource} {key} keeps its uid; {because}");
                if (now!.ResourceVersion == old.ResourceVersion)
                {
                    now.Json.Should().Equal(old.Json, $"{resource} {key} at resourceVersion {old.ResourceVersion}; {because}");
                    same++;
                }
                else
                {
                    now.ResourceVersion.Should().BeGreaterThan(stopped.Revision, $"{resource} {key} was at {old.ResourceVersion}; {because}");
                    rewritten++;
                }
            }
        }
        return (same, rewritten);
    }

    /// <summary>Name and uid of the objects a user of the demo looks at, read through the API.</summary>
    private static async Task<IReadOnlyList<string>> ServedAsync(FleetUnderTest fleet, CancellationToken ct)
    {
        var ns = fleet.Namespace;
        var all = new List<string>();
        all.AddRange((await fleet.Client.For<RecModel>().ListAsync(ns, cancellationToken: ct)).Items.Select(o => $"RecModel {o.Metadata?.Name} {o.Metadata?.Uid}"));
        all.AddRange((await fleet.Client.For<NodePool>().ListAsync(cancellationToken: ct)).Items.Select(o => $"NodePool {o.Metadata?.Name} {o.Metadata?.Uid}"));
        all.AddRange((await fleet.Client.For<V1Deployment>().ListAsync(ns, cancellationToken: ct)).Items.Select(o => $"Deployment {o.Metadata?.Name} {o.Metadata?.Uid}"));
        all.AddRange((await fleet.Client.For<V1Service>().ListAsync(ns, cancellationToken: ct)).Items.Select(o => $"Service {o.Metadata?.Name} {o.Metadata?.Uid}"));
        all.AddRange((await fleet.Client.For<V1Pod>().ListAsync(ns, cancellationToken: ct)).Items.Select(o => $"Pod {o.Metadata?.Name} {o.Metadata?.Uid}"));
        return all;
    }

    private static string? Uid(StoredObject stored) => (string?)stored.Parse()["metadata"]?["uid"];

    private static void OneInt8Replica(JsonObject model)
    {
        // One variant with one fixed replica: the fleet only changes when the spec does, and one pod starts soonest.
        var spec = model["spec"]!.AsObject();
        var variants = spec["variants"]!.AsArray();
        foreach (var other in variants.Where(v => (string)v!["name"]! != "cpu-int8").ToList())
        {
            variants.Remove(other);
        }
        variants.Single()!["replicas"] = JsonNode.Parse("""{"min":1,"max":1}""");
        spec["autoscaling"]!["minTotalReplicas"] = 1;
    }
}
