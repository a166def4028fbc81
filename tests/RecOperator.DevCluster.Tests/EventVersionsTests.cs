using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// core/v1 and events.k8s.io/v1 Events are one store seen through two versions, as on a real server: what is written
/// through one endpoint is read, selected, watched, changed and deleted through the other.
/// </summary>
public sealed class EventVersionsTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public EventVersionsTests(ClusterFixture fixture) => _api = fixture.Api;

    [Fact]
    public async Task Create_ThroughEventsV1_IsTheSameObjectThroughCore()
    {
        var ns = await _api.NewNamespaceAsync();

        var created = await _api.PostAsync(EventsV1(ns), OperatorEvent("w.1", ns, "w", "w-uid", "Created"));
        var core = await _api.GetAsync($"{Core(ns)}/w.1");

        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
        core.Status.Should().Be(HttpStatusCode.OK, core.Body?.ToJsonString());
        (core.Str("apiVersion"), core.Str("kind")).Should().Be(("v1", "Event"));
        (core.Str("metadata.uid"), core.ResourceVersion).Should().Be((created.Str("metadata.uid"), created.ResourceVersion));
        core.Str("involvedObject.name").Should().Be("w");
        core.Str("involvedObject.uid").Should().Be("w-uid");
        core.Str("message").Should().Be("Created w");
        core.Str("reportingComponent").Should().Be("serving.recoperator.io/operator");
        core.Str("eventTime").Should().Be("2026-05-01T10:30:45.500000Z");
        core.Object.ContainsKey("regarding").Should().BeFalse();
    }

    [Fact]
    public async Task ListCore_ByInvolvedObjectAndSource_FindsEventsWrittenThroughEventsV1()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(EventsV1(ns), OperatorEvent("w.1", ns, "w", "w-uid", "Created"));
        await _api.PostAsync(EventsV1(ns), OperatorEvent("v.1", ns, "v", "v-uid", "Created"));
        await _api.PostAsync(Core(ns), CoreEvent("p.1", ns, "p", "Started"));

        var all = await _api.GetAsync(Core(ns));
        // What `kubectl describe` asks for.
        var describe = await _api.GetAsync($"{Core(ns)}?fieldSelector=involvedObject.name%3Dw,involvedObject.namespace%3D{ns},involvedObject.kind%3DRecModel,involvedObject.uid%3Dw-uid");
        var byReportingComponent = await _api.GetAsync($"{Core(ns)}?fieldSelector=reportingComponent%3Dserving.recoperator.io/operator");
        var bySource = await _api.GetAsync($"{Core(ns)}?fieldSelector=source%3Dserving.recoperator.io/operator");

        Names(all).Should().Equal("p.1", "v.1", "w.1");
        Names(describe).Should().Equal("w.1");
        describe.Object["items"]![0]!["message"]!.GetValue<string>().Should().Be("Created w");
        Names(byReportingComponent).Should().Equal("v.1", "w.1");
        Names(bySource).Should().Equal(["v.1", "w.1"], "source is the reporting controller when an Event has no source");
    }

    [Fact]
    public async Task ListEventsV1_ByRegardingAndReportingController_FindsEventsWrittenThroughCore()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Core(ns), CoreEvent("a.1", ns, "pod-a", "Started"));
        await _api.PostAsync(Core(ns), CoreEvent("b.1", ns, "pod-b", "Killing"));
        await _api.PostAsync(EventsV1(ns), OperatorEvent("w.1", ns, "w", "w-uid", "Created"));

        var all = await _api.GetAsync(EventsV1(ns));
        var podA = await _api.GetAsync($"{EventsV1(ns)}?fieldSelector=regarding.kind%3DPod,regarding.name%3Dpod-a");
        var byController = await _api.GetAsync($"{EventsV1(ns)}?fieldSelector=reportingController%3Dserving.recoperator.io/operator");
        var byReason = await _api.GetAsync($"{EventsV1(ns)}?fieldSelector=reason%3DKilling,type%3DNormal");
        var coreLabel = await _api.GetAsync($"{EventsV1(ns)}?fieldSelector=involvedObject.name%3Dpod-a");

        all.Str("kind").Should().Be("EventList");
        all.Str("apiVersion").Should().Be("events.k8s.io/v1");
        Names(all).Should().Equal("a.1", "b.1", "w.1");
        Names(podA).Should().Equal("a.1");
        var item = podA.Object["items"]![0]!;
        (item["apiVersion"]!.GetValue<string>(), item["regarding"]!["name"]!.GetValue<string>(), item["note"]!.GetValue<string>())
            .Should().Be(("events.k8s.io/v1", "pod-a", "Started pod-a"));
        item["deprecatedCount"]!.GetValue<int>().Should().Be(1);
        item.AsObject().ContainsKey("involvedObject").Should().BeFalse();
        Names(byController).Should().Equal("w.1");
        Names(byReason).Should().Equal("b.1");
        coreLabel.Status.Should().Be(HttpStatusCode.BadRequest, "events.k8s.io selects by regarding.*, as the real server does");
    }

    [Fact]
    public async Task Watch_EitherVersion_SeesTheOthersWritesInItsOwnVersion()
    {
        var ns = await _api.NewNamespaceAsync();
        var from = (await _api.GetAsync(Core(ns))).ResourceVersion;

        var created = await _api.PostAsync(EventsV1(ns), OperatorEvent("w.1", ns, "w", "w-uid", "Created"));
        var counted = await _api.PatchAsync($"{EventsV1(ns)}/w.1", JsonNode.Parse("""{"series":{"count":2,"lastObservedTime":"2026-05-01T10:31:00.000000Z"}}""")!);
        var fromCore = await _api.PostAsync(Core(ns), CoreEvent("p.1", ns, "p", "Started"));
        var deleted = await _api.DeleteAsync($"{Core(ns)}/w.1");
        var coreWatch = await WatchStream.CollectAsync(_api.Http, $"{Core(ns)}?watch=true&resourceVersion={from}&fieldSelector=involvedObject.name%3Dw", 3);
        var eventsV1Watch = await WatchStream.CollectAsync(_api.Http, $"{EventsV1(ns)}?watch=true&resourceVersion={from}", 4);

        (created.Status, counted.Status, fromCore.Status, deleted.Status).Should().Be((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK));
        coreWatch.Select(e => (e.Type, e.Name)).Should().Equal(("ADDED", "w.1"), ("MODIFIED", "w.1"), ("DELETED", "w.1"));
        coreWatch.Should().OnlyContain(e => e.Object["apiVersion"]!.GetValue<string>() == "v1" && e.Object["message"]!.GetValue<string>() == "Created w");
        coreWatch[1].Object["series"]!["count"]!.GetValue<int>().Should().Be(2);
        coreWatch[1].Object["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be(counted.ResourceVersion);
        eventsV1Watch.Select(e => (e.Type, e.Name)).Should().Equal(("ADDED", "w.1"), ("MODIFIED", "w.1"), ("ADDED", "p.1"), ("DELETED", "w.1"));
        eventsV1Watch.Should().OnlyContain(e => e.Object["apiVersion"]!.GetValue<string>() == "events.k8s.io/v1");
        eventsV1Watch[2].Object["note"]!.GetValue<string>().Should().Be("Started p");
        eventsV1Watch[2].Object["metadata"]!["uid"]!.GetValue<string>().Should().Be(fromCore.Str("metadata.uid"));
    }

    [Fact]
    public async Task UpdateAndDelete_ThroughOneVersion_ShowThroughTheOther()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Core(ns), CoreEvent("p.1", ns, "p", "Started"));
        var asEventsV1 = (await _api.GetAsync($"{EventsV1(ns)}/p.1")).Object;
        asEventsV1["note"] = "Started p again";

        var updated = await _api.PutAsync($"{EventsV1(ns)}/p.1", asEventsV1);
        var sameAgain = await _api.PutAsync($"{EventsV1(ns)}/p.1", updated.Object);
        var core = await _api.GetAsync($"{Core(ns)}/p.1");
        var deleted = await _api.DeleteAsync($"{EventsV1(ns)}/p.1");
        var gone = await _api.GetAsync($"{Core(ns)}/p.1");

        updated.Status.Should().Be(HttpStatusCode.OK, updated.Body?.ToJsonString());
        core.Str("message").Should().Be("Started p again");
        core.ResourceVersion.Should().Be(updated.ResourceVersion);
        sameAgain.ResourceVersion.Should().Be(updated.ResourceVersion, "an object read through events.k8s.io and written back unchanged is no change to the stored core form");
        deleted.Status.Should().Be(HttpStatusCode.OK);
        deleted.Str("apiVersion").Should().Be("events.k8s.io/v1");
        gone.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_FieldOfTheOtherVersion_IsUnknownToThisOne()
    {
        var ns = await _api.NewNamespaceAsync();
        var withCoreField = OperatorEvent("w.1", ns, "w", "w-uid", "Created");
        withCoreField["message"] = "a core field";

        var strict = await _api.PostAsync($"{EventsV1(ns)}?fieldValidation=Strict", withCoreField);

        strict.Status.Should().Be(HttpStatusCode.BadRequest);
        strict.Str("message").Should().Contain("unknown field \"message\"");
    }

    private static string Core(string ns) => $"/api/v1/namespaces/{ns}/events";

    private static string EventsV1(string ns) => $"/apis/events.k8s.io/v1/namespaces/{ns}/events";

    /// <summary>An Event as the operator's EventRecorder writes it.</summary>
    private static JsonObject OperatorEvent(string name, string ns, string model, string uid, string reason) => new()
    {
        ["apiVersion"] = "events.k8s.io/v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["eventTime"] = "2026-05-01T10:30:45.500000Z",
        ["type"] = "Normal",
        ["reason"] = reason,
        ["action"] = "Reconcile",
        ["note"] = $"{reason} {model}",
        ["reportingController"] = "serving.recoperator.io/operator",
        ["reportingInstance"] = "operator-0",
        ["regarding"] = new JsonObject
        {
            ["apiVersion"] = "serving.recoperator.io/v1alpha1", ["kind"] = "RecModel", ["name"] = model, ["namespace"] = ns, ["uid"] = uid,
        },
    };

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
        ["source"] = new JsonObject { ["component"] = "kubelet" },
    };

    private static List<string> Names(ApiResponse list) =>
        list.Object["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToList();
}
