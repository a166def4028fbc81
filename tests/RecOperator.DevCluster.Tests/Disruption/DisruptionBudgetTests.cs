using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests.Disruption;

/// <summary>
/// The disruption controller fills a PodDisruptionBudget's status from the pods its selector matches (as
/// kube-controller-manager's does), `kubectl get pdb` shows it, and the pods' eviction subresource honours it.
/// </summary>
public sealed class DisruptionBudgetTests : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _fixture;
    private readonly ApiClient _api;

    public DisruptionBudgetTests(ClusterFixture fixture) => (_fixture, _api) = (fixture, fixture.Api);

    [Fact]
    public async Task Status_MinAvailableOverTwoReadyOfThreePods_AllowsOneDisruption()
    {
        var ns = await _api.NewNamespaceAsync();
        await PodAsync(ns, "web-a", ready: true);
        await PodAsync(ns, "web-b", ready: true);
        await PodAsync(ns, "web-c", ready: false);
        await PodAsync(ns, "other", ready: true, app: "other");

        await BudgetAsync(ns, "web", """{"minAvailable":1}""");

        var status = await SettledStatusAsync(ns, "web", s => s.Num("expectedPods") == 3);
        status.Num("expectedPods").Should().Be(3);
        status.Num("currentHealthy").Should().Be(2);
        status.Num("desiredHealthy").Should().Be(1);
        status.Num("disruptionsAllowed").Should().Be(1);
        status.Num("observedGeneration").Should().Be(1);
        var condition = status.Object["conditions"]!.AsArray().Single()!;
        condition["type"]!.GetValue<string>().Should().Be("DisruptionAllowed");
        condition["status"]!.GetValue<string>().Should().Be("True");
        condition["reason"]!.GetValue<string>().Should().Be("SufficientPods");
        var table = await _fixture.RunKubectlAsync(["get", "pdb", "web", "-n", ns]);
        table.ExitCode.Should().Be(0, table.Stderr);
        table.Stdout.Should().MatchRegex(@"NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE")
            .And.MatchRegex(@"web\s+1\s+N/A\s+1\s+");
    }

    [Fact]
    public async Task Status_PercentagesOfTheReplicaSetsScale_RoundUpAsTheRealController()
    {
        var ns = await _api.NewNamespaceAsync();
        var replicaSet = await _api.PostAsync($"/apis/apps/v1/namespaces/{ns}/replicasets", JsonNode.Parse("""
            {"metadata":{"name":"web"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
            """)!);
        replicaSet.Status.Should().Be(HttpStatusCode.Created, replicaSet.Body?.ToJsonString());
        foreach (var name in new[] { "web-a", "web-b", "web-c" })
        {
            await PodAsync(ns, name, ready: true, owner: replicaSet.Object);
        }

        await BudgetAsync(ns, "max-half", """{"maxUnavailable":"50%"}""");
        await BudgetAsync(ns, "min-half", """{"minAvailable":"50%"}""");
        await BudgetAsync(ns, "min-all", """{"minAvailable":"100%"}""");

        // 50% of 3 is 1.5, rounded up to 2 both ways: at most 2 unavailable (desired 1), at least 2 available.
        var maxHalf = await SettledStatusAsync(ns, "max-half", s => s.Num("currentHealthy") == 3);
        (maxHalf.Num("expectedPods"), maxHalf.Num("desiredHealthy"), maxHalf.Num("disruptionsAllowed")).Should().Be((3, 1, 2));
        var minHalf = await SettledStatusAsync(ns, "min-half", s => s.Num("currentHealthy") == 3);
        (minHalf.Num("expectedPods"), minHalf.Num("desiredHealthy"), minHalf.Num("disruptionsAllowed")).Should().Be((3, 2, 1));
        var minAll = await SettledStatusAsync(ns, "min-all", s => s.Num("currentHealthy") == 3);
        (minAll.Num("desiredHealthy"), minAll.Num("disruptionsAllowed")).Should().Be((3, 0));
        var condition = minAll.Object["conditions"]!.AsArray().Single()!;
        (condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>()).Should().Be(("False", "InsufficientPods"));
    }

    [Fact]
    public async Task Evict_SecondPodOnceTheBudgetIsSpent_Refused429WithTheBudgetAsCause()
    {
        var ns = await _api.NewNamespaceAsync();
        await PodAsync(ns, "web-a", ready: true);
        await PodAsync(ns, "web-b", ready: true);
        await BudgetAsync(ns, "web", """{"minAvailable":1}""");
        await SettledStatusAsync(ns, "web", s => s.Num("disruptionsAllowed") == 1);

        var first = await _api.PostAsync($"/api/v1/namespaces/{ns}/pods/web-a/eviction", Eviction(ns, "web-a"));
        var afterFirst = await _api.GetAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/web");
        var second = await _api.PostAsync($"/api/v1/namespaces/{ns}/pods/web-b/eviction", Eviction(ns, "web-b"));

        first.Status.Should().Be(HttpStatusCode.Created, first.Body?.ToJsonString());
        (first.Str("kind"), first.Str("status")).Should().Be(("Status", "Success"));
        (await _api.GetAsync($"/api/v1/namespaces/{ns}/pods/web-a")).Status.Should().Be(HttpStatusCode.NotFound, "an unbound pod goes at once");
        afterFirst.Num("status.disruptionsAllowed").Should().Be(0, "the eviction spends the budget in the same request");
        second.Status.Should().Be(HttpStatusCode.TooManyRequests, second.Body?.ToJsonString());
        second.Str("reason").Should().Be("TooManyRequests");
        second.Str("message").Should().Be("Cannot evict pod as it would violate the pod's disruption budget.");
        var cause = second.Object["details"]!["causes"]!.AsArray().Single()!;
        cause["reason"]!.GetValue<string>().Should().Be("DisruptionBudget");
        // The counts are the status as last written: 2 healthy until the controller has seen web-a go, then 1.
        cause["message"]!.GetValue<string>().Should().MatchRegex("^The disruption budget web needs 1 healthy pods and has [12] currently$");
        (await _api.GetAsync($"/api/v1/namespaces/{ns}/pods/web-b")).Status.Should().Be(HttpStatusCode.OK);
        var settled = await SettledStatusAsync(ns, "web", s => s.Num("expectedPods") == 1);
        (settled.Num("currentHealthy"), settled.Num("disruptionsAllowed")).Should().Be((1, 0));
    }

    [Fact]
    public async Task Evict_PodNoBudgetCovers_DeletesIt()
    {
        var ns = await _api.NewNamespaceAsync();
        await PodAsync(ns, "lonely", ready: true, app: "lonely");
        await BudgetAsync(ns, "web", """{"minAvailable":1}""");

        var result = await _api.PostAsync($"/api/v1/namespaces/{ns}/pods/lonely/eviction", Eviction(ns, "lonely"));
        var missing = await _api.PostAsync($"/api/v1/namespaces/{ns}/pods/ghost/eviction", Eviction(ns, "ghost"));

        result.Status.Should().Be(HttpStatusCode.Created, result.Body?.ToJsonString());
        (await _api.GetAsync($"/api/v1/namespaces/{ns}/pods/lonely")).Status.Should().Be(HttpStatusCode.NotFound);
        missing.Status.Should().Be(HttpStatusCode.NotFound);
    }

    private Task PodAsync(string ns, string name, bool ready, string app = "web", JsonObject? owner = null) =>
        BudgetTestKit.PodAsync(_api, ns, name, ready, app, owner);

    private Task BudgetAsync(string ns, string name, string spec) => BudgetTestKit.BudgetAsync(_api, ns, name, spec);

    private Task<ApiResponse> SettledStatusAsync(string ns, string name, Func<ApiResponse, bool> settled) =>
        BudgetTestKit.SettledStatusAsync(_api, ns, name, settled);

    private static JsonObject Eviction(string ns, string pod) => BudgetTestKit.Eviction(ns, pod);
}
