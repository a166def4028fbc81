using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>Selectors, limit/continue paging and watch (resume, selector transitions, bookmarks) over real HTTP.</summary>
public sealed class ListAndWatchTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public ListAndWatchTests(ClusterFixture fixture) => _api = fixture.Api;

    [Fact]
    public async Task List_WithLabelAndFieldSelectors_ReturnsOnlyMatches()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("a", labels: new JsonObject { ["tier"] = "front" }));
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("b", labels: new JsonObject { ["tier"] = "back" }));
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("c"));

        var front = await _api.GetAsync(Widgets.Collection(ns) + "?labelSelector=tier%3Dfront");
        var notFront = await _api.GetAsync(Widgets.Collection(ns) + "?labelSelector=tier!%3Dfront");
        var inSet = await _api.GetAsync(Widgets.Collection(ns) + "?labelSelector=tier%20in%20(front,back)");
        var byName = await _api.GetAsync(Widgets.Collection(ns) + "?fieldSelector=metadata.name%3Db");
        var byNamespace = await _api.GetAsync($"/apis/test.recoperator.io/v1/widgets?fieldSelector=metadata.namespace%3D{ns}");

        Names(front).Should().Equal("a");
        Names(notFront).Should().Equal("b", "c");
        Names(inSet).Should().Equal("a", "b");
        Names(byName).Should().Equal("b");
        Names(byNamespace).Should().Equal("a", "b", "c");
        front.Str("kind").Should().Be("WidgetList");
    }

    [Fact]
    public async Task CoreEvents_CreateAndListByInvolvedObjectName_ReturnOnlyThatObjectsEvents()
    {
        var ns = await _api.NewNamespaceAsync();
        foreach (var (name, pod, reason) in new[] { ("e1", "pod-a", "Started"), ("e2", "pod-b", "Killing"), ("e3", "pod-a", "Unhealthy") })
        {
            var created = await _api.PostAsync($"/api/v1/namespaces/{ns}/events", CoreEvent(name, ns, pod, reason));
            created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
        }

        var all = await _api.GetAsync($"/api/v1/namespaces/{ns}/events");
        var podA = await _api.GetAsync($"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3Dpod-a");
        var notPodA = await _api.GetAsync($"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name!%3Dpod-a");
        var clusterWide = await _api.GetAsync($"/api/v1/events?fieldSelector=involvedObject.name%3Dpod-b,involvedObject.namespace%3D{ns}");

        all.Str("kind").Should().Be("EventList");
        Names(all).Should().Equal("e1", "e2", "e3");
        Names(podA).Should().Equal("e1", "e3");
        Names(notPodA).Should().Equal("e2");
        Names(clusterWide).Should().Equal("e2");
        podA.Object["items"]![1]!["reason"]!.GetValue<string>().Should().Be("Unhealthy");
        podA.Object["items"]![1]!["involvedObject"]!["kind"]!.GetValue<string>().Should().Be("Pod");
    }

    private static JsonObject CoreEvent(string name, string ns, string pod, string reason) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["involvedObject"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["name"] = pod, ["namespace"] = ns },
        ["reason"] = reason,
        ["message"] = $"{reason} {pod}",
        ["type"] = "Normal",
        ["count"] = 1,
    };

    [Theory]
    [InlineData("/api/v1/configmaps?fieldSelector=data.k%3Dv", "\"data.k\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    [InlineData("/api/v1/pods?fieldSelector=spec.nodeName%3Dn,spec.containers%3Dx", "\"spec.containers\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\", \"spec.hostNetwork\", \"spec.nodeName\"")]
    [InlineData("/apis/test.recoperator.io/v1/widgets?fieldSelector=spec.replicas%3D1", "only \"metadata.name\", \"metadata.namespace\", \"spec.size\"")]
    [InlineData("/apis/apps/v1/deployments?watch=true&fieldSelector=spec.replicas%3D1", "Unable to find \"deployments.apps\" that match label selector \"\", field selector \"spec.replicas=1\"")]
    public async Task ListOrWatch_FieldTheKindDoesNotSelectOn_Returns400NamingIt(string path, string message)
    {
        var result = await _api.GetAsync(path);

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Str("message").Should().Contain(message);
    }

    [Fact]
    public async Task List_ByKindSpecificFields_ReadsTheFieldEachLabelNames()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("small"));
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("big", size: "large"));
        var fromKubelet = CoreEvent("e1", ns, "pod-a", "Started");
        fromKubelet["source"] = new JsonObject { ["component"] = "kubelet" };
        await _api.PostAsync($"/api/v1/namespaces/{ns}/events", fromKubelet);
        await _api.PostAsync($"/api/v1/namespaces/{ns}/events", CoreEvent("e2", ns, "pod-b", "Killing"));

        var large = await _api.GetAsync(Widgets.Collection(ns) + "?fieldSelector=spec.size%3Dlarge");
        var bySource = await _api.GetAsync($"/api/v1/namespaces/{ns}/events?fieldSelector=source%3Dkubelet");
        var byKindAndReason = await _api.GetAsync($"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.kind%3DPod,reason%3DKilling");

        Names(large).Should().Equal("big");
        Names(bySource).Should().Equal(["e1"], "an Event's source label reads source.component");
        Names(byKindAndReason).Should().Equal("e2");
    }

    [Fact]
    public async Task List_BadLabelSelector_Returns400()
    {
        var result = await _api.GetAsync("/api/v1/configmaps?labelSelector=a%20in%20x");

        result.Status.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task List_WithLimitAndContinue_PagesThroughEveryItemOnce()
    {
        var ns = await _api.NewNamespaceAsync();
        for (var i = 0; i < 7; i++)
        {
            await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap($"cm-{i}"));
        }
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _api.GetAsync($"/api/v1/namespaces/{ns}/configmaps?limit=3" + (token is null ? "" : $"&continue={Uri.EscapeDataString(token)}"));
            seen.AddRange(Names(page));
            token = page.Str("metadata.continue");
            pages++;
        }
        while (token is not null && pages < 10);

        pages.Should().Be(3);
        seen.Should().Equal(Enumerable.Range(0, 7).Select(i => $"cm-{i}"));
    }

    [Fact]
    public async Task List_ContinueAfterWrites_ServesEveryPageFromTheFirstPagesSnapshot()
    {
        var ns = await _api.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        for (var i = 0; i < 6; i++)
        {
            await _api.PostAsync(collection, ApiClient.ConfigMap($"cm-{i}"));
        }
        var first = await _api.GetAsync(collection + "?limit=2");
        var cm3 = await _api.GetAsync($"{collection}/cm-3");

        await _api.PostAsync(collection, ApiClient.ConfigMap("cm-2a"));
        await _api.PostAsync(collection, ApiClient.ConfigMap("cm-9"));
        await _api.PatchAsync($"{collection}/cm-3", JsonNode.Parse("""{"data":{"k":"changed"}}""")!);
        await _api.DeleteAsync($"{collection}/cm-4");
        var second = await _api.GetAsync($"{collection}?limit=2&continue={Uri.EscapeDataString(first.Str("metadata.continue")!)}");
        var third = await _api.GetAsync($"{collection}?limit=2&continue={Uri.EscapeDataString(second.Str("metadata.continue")!)}");

        Names(first).Should().Equal("cm-0", "cm-1");
        Names(second).Should().Equal("cm-2", "cm-3");
        Names(third).Should().Equal("cm-4", "cm-5");
        third.Str("metadata.continue").Should().BeNull("the snapshot had six items");
        second.Num("metadata.remainingItemCount").Should().Be(2, "counted in the snapshot, not in the current state");
        var oldCm3 = second.Object["items"]!.AsArray().Single(i => i!["metadata"]!["name"]!.GetValue<string>() == "cm-3")!;
        (oldCm3["data"]!["k"]!.GetValue<string>(), (string?)oldCm3["metadata"]!["resourceVersion"]!.GetValue<string>()).Should().Be(("v", cm3.ResourceVersion));
        new[] { second.ResourceVersion, third.ResourceVersion }.Should().AllBe(first.ResourceVersion, "every page reports the list's one resourceVersion");
    }

    [Theory]
    [InlineData("not-base64!", "invalid continue token: continue key is not valid: illegal base64 data")]
    [InlineData("""{"v":"meta.k8s.io/v2","rv":5,"start":"a"}""", "invalid continue token: continue key is not valid: server does not recognize this encoded version meta.k8s.io/v2")]
    [InlineData("""{"v":"meta.k8s.io/v1","start":"a"}""", "invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")]
    [InlineData("""{"v":"meta.k8s.io/v1","rv":5}""", "invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)")]
    public async Task List_MalformedContinue_Returns400(string token, string message)
    {
        var encoded = token.StartsWith('{') ? System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(token)) : token;

        var result = await _api.GetAsync($"/api/v1/namespaces/default/configmaps?limit=1&continue={Uri.EscapeDataString(encoded)}");

        (result.Status, result.Str("message")).Should().Be((HttpStatusCode.BadRequest, message));
    }

    [Fact]
    public async Task Watch_FromResourceVersion_StreamsLaterChangesInOrder()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = await _api.PostAsync(Widgets.Collection(ns), Widgets.New("w"));
        await _api.PatchAsync(Widgets.Item(ns, "w"), JsonNode.Parse("""{"spec":{"size":"large"}}""")!);
        await _api.DeleteAsync(Widgets.Item(ns, "w"));

        var events = await WatchStream.CollectAsync(_api.Http, Widgets.Collection(ns) + $"?watch=true&resourceVersion={created.ResourceVersion}", 2);

        events.Select(e => e.Type).Should().Equal("MODIFIED", "DELETED");
        events[0].Object["spec"]!["size"]!.GetValue<string>().Should().Be("large");
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithAddedForExistingThenLiveChanges()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("existing"));

        var watching = WatchStream.CollectAsync(_api.Http, Widgets.Collection(ns) + "?watch=true", 2);
        await Task.Delay(300);
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("fresh"));
        var events = await watching;

        events.Select(e => (e.Type, e.Name)).Should().Equal(("ADDED", "existing"), ("ADDED", "fresh"));
    }

    [Fact]
    public async Task Watch_LabelSelector_ObjectThatStopsMatchingArrivesAsDeleted()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = await _api.PostAsync(Widgets.Collection(ns), Widgets.New("sel", labels: new JsonObject { ["team"] = "a" }));
        await _api.PatchAsync(Widgets.Item(ns, "sel"), JsonNode.Parse("""{"metadata":{"labels":{"team":"b"}}}""")!);
        await _api.PatchAsync(Widgets.Item(ns, "sel"), JsonNode.Parse("""{"metadata":{"labels":{"team":"a"}}}""")!);

        var events = await WatchStream.CollectAsync(_api.Http, Widgets.Collection(ns) + $"?watch=true&labelSelector=team%3Da&resourceVersion={created.ResourceVersion}", 2);

        events.Select(e => e.Type).Should().Equal("DELETED", "ADDED");
    }

    [Fact]
    public async Task Watch_AllowBookmarks_SendsBookmarkWithCurrentResourceVersion()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = await _api.PostAsync(Widgets.Collection(ns), Widgets.New("b"));

        var events = await WatchStream.CollectAsync(_api.Http, Widgets.Collection(ns) + $"?watch=true&allowWatchBookmarks=true&resourceVersion={created.ResourceVersion}", 1);

        events[0].Type.Should().Be("BOOKMARK");
        long.Parse(events[0].Object["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeGreaterThanOrEqualTo(long.Parse(created.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsInitialStateWithAnnotatedBookmark()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("one"));

        var events = await WatchStream.CollectAsync(_api.Http,
            Widgets.Collection(ns) + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true", 2);

        events.Select(e => e.Type).Should().Equal("ADDED", "BOOKMARK");
        events[1].Object["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>().Should().Be("true");
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStream()
    {
        var ns = await _api.NewNamespaceAsync();

        var events = await WatchStream.CollectAsync(_api.Http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=1", 1, TimeSpan.FromSeconds(10));

        events.Should().BeEmpty("the server closed the stream after timeoutSeconds with nothing to send");
    }

    private static List<string> Names(ApiResponse list) =>
        (list.Object["items"] as JsonArray ?? []).Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToList();
}
