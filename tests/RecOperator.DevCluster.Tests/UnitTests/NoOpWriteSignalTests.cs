using System.Text.Json.Nodes;
using FluentAssertions;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Lifecycle;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;
using Xunit;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>
/// A write that changes nothing keeps the resourceVersion and no watch sees it, so it wakes none of DevCluster's own
/// controllers either: one whose pass ends in such a write would otherwise wake itself forever (the root-ca-cert-publisher
/// did, with a check that never held, and an idle DevCluster spun on a core).
/// </summary>
public sealed class NoOpWriteSignalTests
{
    [Fact]
    public async Task ChangeAsync_SameObjectBack_SignalsNothingWhileARealChangeDoes()
    {
        var service = new ResourceService(ObjectStore.Open(new StoreOptions()), new ResourceRegistry(), new ChangeSignal(), TimeProvider.System);
        var namespaces = service.Registry.Find("", "v1", "namespaces")!;
        var deployments = service.Registry.Find("apps", "v1", "deployments")!;
        await service.CreateAsync(namespaces, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "ns" } }, WriteOptions.Default, CancellationToken.None);
        await service.CreateAsync(deployments, "ns", Deployment(), WriteOptions.Default, CancellationToken.None);
        // The create signalled the disruption controller (a Deployment has a scale): take that wake-up first.
        (await WokenAsync(service.Disruptions)).Should().BeTrue("a created Deployment wakes the disruption controller");

        var unchanged = await service.ChangeAsync(deployments, "ns", "web", null, WriteOptions.Default, stored => stored.Parse(), CancellationToken.None);
        (await WokenAsync(service.Disruptions)).Should().BeFalse("the write changed nothing (resourceVersion {0} kept)", JsonTree.GetString(unchanged, "metadata.resourceVersion"));

        await service.ChangeAsync(deployments, "ns", "web", null, WriteOptions.Default, stored =>
        {
            var changed = stored.Parse();
            JsonTree.Set(changed, "metadata.labels.tier", "front");
            return changed;
        }, CancellationToken.None);
        (await WokenAsync(service.Disruptions)).Should().BeTrue("a changed Deployment wakes it");
    }

    private static async Task<bool> WokenAsync(ChangeSignal signal)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try
        {
            await signal.WaitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static JsonObject Deployment() => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"web:1"}]}}}}
        """)!.AsObject();
}
