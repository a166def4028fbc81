using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;
using static RecOperator.DevCluster.Tests.Disruption.BudgetTestKit;

namespace RecOperator.DevCluster.Tests.Disruption;

/// <summary>
/// The eviction subresource as kube-apiserver runs it: unhealthy pods and the unhealthyPodEvictionPolicy, the
/// resourceVersion preconditions (the client's and the server's own), the DisruptionTarget condition, and the
/// Eviction's deleteOptions (grace period, dry run) honoured without spending the budget on a dry run.
/// </summary>
public sealed class EvictionTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public EvictionTests(ClusterFixture fixture) => _api = fixture.Api;

    [Fact]
    public async Task Evict_UnreadyPodWhileTheBudgetIsMet_GoesWithoutSpendingTheBudget()
    {
        var ns = await _api.NewNamespaceAsync();
        await PodAsync(_api, ns, "web-a", ready: true);
        await PodAsync(_api, ns, "web-b", ready: true);
        await PodAsync(_api, ns, "web-c", ready: false);
        await BudgetAsync(_api, ns, "web", """{"minAvailable":2}""");
        await SettledStatusAsync(_api, ns, "web", s => (s.Num("expectedPods"), s.Num("currentHealthy"), s.Num("disruptionsAllowed")) == (3, 2, 0));

        var unready = await EvictAsync(_api, ns, "web-c");
        var ready = await EvictAsync(_api, ns, "web-a");

        unready.Status.Should().Be(HttpStatusCode.Created, "an unready pod does not count toward the budget: {0}", unready.Body?.ToJsonString());
        (await _api.GetAsync($"/api/v1/namespaces/{ns}/pods/web-c")).Status.Should().Be(HttpStatusCode.NotFound);
        var budget = await _api.GetAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/web");
        budget.Num("status.disruptionsAllowed").Should().Be(0);
        budget.Object["status"]!["disruptedPods"].Should().BeNull("nothing was spent on web-c");
        ready.Status.Should().Be(HttpStatusCode.TooManyRequests, ready.Body?.ToJsonString());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.TooManyRequests)]
    [InlineData("IfHealthyBudget", HttpStatusCode.TooManyRequests)]
    [InlineData("AlwaysAllow", HttpStatusCode.Created)]
    public async Task Evict_UnreadyPodWhileTheBudgetIsShort_GoesOnlyUnderAlwaysAllow(string? policy, HttpStatusCode expected)
    {
        var ns = await _api.NewNamespaceAsync();
        await PodAsync(_api, ns, "web-a", ready: true);
        await PodAsync(_api, ns, "web-c", ready: false);
        await BudgetAsync(_api, ns, "web", policy is null ? """{"minAvailable":2}""" : $$"""{"minAvailable":2,"unhealthyPodEvictionPolicy":"{{policy}}"}""");
        await SettledStatusAsync(_api, ns, "web", s => (s.Num("expectedPods"), s.Num("currentHealthy"), s.Num("desiredHealthy")) == (2, 1, 2));

        var result = await EvictAsync(_api, ns, "web-c");

        result.Status.Should().Be(expected, result.Body?.ToJsonString());
        if (expected == HttpStatusCode.TooManyRequests)
        {
            result.Object["details"]!["causes"]![0]!["message"]!.GetValue<string>().Should().Be("The disruption budget web needs 2 healthy pods and has 1 currently");
        }
    }

    [Fact]
    public async Task Evict_ReadyPodWithAStaleResourceVersionPrecondition_409InTheEvictionsWordsAndThePodStays()
    {
        var ns = await _api.NewNamespaceAsync();
        await PodAsync(_api, ns, "web-a", ready: false);
        var stale = (await _api.GetAsync($"/api/v1/namespaces/{ns}/pods/web-a")).ResourceVersion!;
        var current = (await SetReadyAsync(_api, ns, "web-a", ready: true)).ResourceVersion!;

        var result = await EvictAsync(_api, ns, "web-a", new JsonObject { ["preconditions"] = new JsonObject { ["resourceVersion"] = stale } });

        result.Status.Should().Be(HttpStatusCode.Conflict, result.Body?.ToJsonString());
        result.Str("reason").Should().Be("Conflict");
        result.Str("message").Should().Be(
            $"Operation cannot be fulfilled on Pod \"web-a\": the ResourceVersion in the precondition ({stale}) does not match the ResourceVersion in record ({current}). The object might have been modified");
        (result.Str("details.name"), result.Str("details.kind")).Should().Be(("web-a", "Pod"));
        var pod = await _api.GetAsync($"/api/v1/namespaces/{ns}/pods/web-a");
        (pod.Status, pod.ResourceVersion).Should().Be((HttpStatusCode.OK, current), "neither the condition nor the deletion was written");
    }

    [Fact]
    public async Task Evict_UidPreconditionOfAnotherPod_409SayingThePodWasRecreated()
    {
        var ns = await _api.NewNamespaceAsync();
        var uid = (await PodAsync(_api, ns, "web-a", ready: true)).Str("metadata.uid");

        var result = await EvictAsync(_api, ns, "web-a", new JsonObject { ["preconditions"] = new JsonObject { ["uid"] = "0000-old" } });

        result.Status.Should().Be(HttpStatusCode.Conflict, result.Body?.ToJsonString());
        result.Str("message").Should().Be(
            $"Operation cannot be fulfilled on Pod \"web-a\": the UID in the precondition (0000-old) does not match the UID in record ({uid}). The object might have been deleted and then recreated");
    }

    [Fact]
    public async Task Evict_UnreadyPodWithTheClientsStaleResourceVersion_GoesAsTheServerReadIt()
    {
        // kube-apiserver judges an unhealthy pod as it read it and deletes it only in that version: that precondition
        // replaces the client's, so a client's stale one does not stop the eviction here (it would for a healthy pod).
        var ns = await _api.NewNamespaceAsync();
        await PodAsync(_api, ns, "web-a", ready: true);
        await PodAsync(_api, ns, "web-b", ready: true);
        await PodAsync(_api, ns, "web-c", ready: true);
        var stale = (await _api.GetAsync($"/api/v1/namespaces/{ns}/pods/web-c")).ResourceVersion!;
        await SetReadyAsync(_api, ns, "web-c", ready: false);
        await BudgetAsync(_api, ns, "web", """{"minAvailable":2}""");
        await SettledStatusAsync(_api, ns, "web", s => (s.Num("expectedPods"), s.Num("currentHealthy")) == (3, 2));

        var result = await EvictAsync(_api, ns, "web-c", new JsonObject { ["preconditions"] = new JsonObject { ["resourceVersion"] = stale } });

        result.Status.Should().Be(HttpStatusCode.Created, result.Body?.ToJsonString());
        (await _api.GetAsync($"/api/v1/namespaces/{ns}/pods/web-c")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Evict_BoundPodWithGracePeriodAndCurrentResourceVersion_TerminatesWithThemAndIsMarkedDisruptionTarget()
    {
        var ns = await _api.NewNamespaceAsync();
        var current = (await PodAsync(_api, ns, "web-a", ready: true, node: "node-a")).ResourceVersion!;

        // The condition's write moves the pod to a new version; the precondition must follow it to the deletion.
        var result = await EvictAsync(_api, ns, "web-a", new JsonObject
        {
            ["gracePeriodSeconds"] = 7, ["preconditions"] = new JsonObject { ["resourceVersion"] = current },
        });

        result.Status.Should().Be(HttpStatusCode.Created, result.Body?.ToJsonString());
        (result.Str("kind"), result.Str("status"), result.Num("code")).Should().Be(("Status", "Success", 201));
        var pod = await _api.GetAsync($"/api/v1/namespaces/{ns}/pods/web-a");
        pod.Status.Should().Be(HttpStatusCode.OK, "a bound pod waits for its kubelet");
        pod.Num("metadata.deletionGracePeriodSeconds").Should().Be(7);
        pod.Str("metadata.deletionTimestamp").Should().NotBeNull();
        var condition = pod.Object["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "DisruptionTarget")!;
        (condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>(), condition["message"]!.GetValue<string>())
            .Should().Be(("True", "EvictionByEvictionAPI", "Eviction API: evicting"));
        pod.Object["metadata"]!["managedFields"]!.ToJsonString().Should().NotContain("DisruptionTarget", "the server's own write records no manager");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Evict_DryRun_NeitherDeletesNorMarksNorSpendsTheBudget(bool inQuery)
    {
        var ns = await _api.NewNamespaceAsync();
        await PodAsync(_api, ns, "web-a", ready: true);
        await PodAsync(_api, ns, "web-b", ready: true);
        await BudgetAsync(_api, ns, "web", """{"minAvailable":1}""");
        await SettledStatusAsync(_api, ns, "web", s => s.Num("disruptionsAllowed") == 1);
        var options = inQuery ? null : new JsonObject { ["dryRun"] = new JsonArray("All") };
        var query = inQuery ? "?dryRun=All" : "";

        // kubectl drain --dry-run=server puts dryRun in deleteOptions only; both evictions must be judged on the untouched budget.
        var first = await _api.PostAsync($"/api/v1/namespaces/{ns}/pods/web-a/eviction{query}", Eviction(ns, "web-a", options));
        var second = await _api.PostAsync($"/api/v1/namespaces/{ns}/pods/web-b/eviction{query}", Eviction(ns, "web-b", options?.DeepClone().AsObject()));

        first.Status.Should().Be(HttpStatusCode.Created, first.Body?.ToJsonString());
        second.Status.Should().Be(HttpStatusCode.Created, "a dry run spends nothing: {0}", second.Body?.ToJsonString());
        foreach (var name in new[] { "web-a", "web-b" })
        {
            var pod = await _api.GetAsync($"/api/v1/namespaces/{ns}/pods/{name}");
            pod.Status.Should().Be(HttpStatusCode.OK);
            pod.Object["status"]!["conditions"]!.AsArray().Should().NotContain(c => c!["type"]!.GetValue<string>() == "DisruptionTarget");
        }
        var budget = await _api.GetAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/web");
        budget.Num("status.disruptionsAllowed").Should().Be(1);
        budget.Object["status"]!["disruptedPods"].Should().BeNull();
    }

    [Fact]
    public async Task Evict_BudgetWithAnEmptySelector_GuardsEveryPodOfTheNamespace()
    {
        var ns = await _api.NewNamespaceAsync();
        await PodAsync(_api, ns, "web-a", ready: true);
        await PodAsync(_api, ns, "other", ready: true, app: "other");
        await BudgetAsync(_api, ns, "all", """{"selector":{},"minAvailable":2}""");
        await SettledStatusAsync(_api, ns, "all", s => (s.Num("expectedPods"), s.Num("currentHealthy")) == (2, 2));

        var result = await EvictAsync(_api, ns, "other");

        result.Status.Should().Be(HttpStatusCode.TooManyRequests, "in policy/v1 an empty selector selects every pod: {0}", result.Body?.ToJsonString());
        result.Object["details"]!["causes"]![0]!["message"]!.GetValue<string>().Should().Be("The disruption budget all needs 2 healthy pods and has 2 currently");
    }
}
