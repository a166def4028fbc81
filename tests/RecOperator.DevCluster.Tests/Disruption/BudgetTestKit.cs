using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests.Disruption;

/// <summary>
/// Pods, budgets and evictions over HTTP for the disruption tests: pods play their kubelet's part through /status
/// (no node agent runs), so a test sets exactly the phase and readiness the budget and the eviction read.
/// </summary>
public static class BudgetTestKit
{
    /// <summary>A pod labelled app=<paramref name="app"/>, Running with Ready as asked, bound to <paramref name="node"/> when one is given (so its deletion is graceful).</summary>
    public static async Task<ApiResponse> PodAsync(ApiClient api, string ns, string name, bool ready, string app = "web", JsonObject? owner = null, string? node = null)
    {
        var pod = JsonNode.Parse($$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","labels":{"app":"{{{app}}}"}},
             "spec":{"containers":[{"name":"c","image":"i"}]}}
            """)!.AsObject();
        if (owner is not null)
        {
            pod["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = owner["kind"]!.GetValue<string>(), ["name"] = owner["metadata"]!["name"]!.GetValue<string>(),
                ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(), ["controller"] = true,
            });
        }
        var created = await api.PostAsync($"/api/v1/namespaces/{ns}/pods", pod);
        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
        if (node is not null)
        {
            var binding = new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Binding", ["metadata"] = new JsonObject { ["name"] = name },
                ["target"] = new JsonObject { ["kind"] = "Node", ["name"] = node },
            };
            var bound = await api.PostAsync($"/api/v1/namespaces/{ns}/pods/{name}/binding", binding);
            bound.Status.Should().Be(HttpStatusCode.Created, bound.Body?.ToJsonString());
        }
        return await SetReadyAsync(api, ns, name, ready);
    }

    /// <summary>Writes Running and the Ready condition as a kubelet would; returns the pod as stored.</summary>
    public static async Task<ApiResponse> SetReadyAsync(ApiClient api, string ns, string name, bool ready)
    {
        var status = JsonNode.Parse($$$"""
            {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"{{{(ready ? "True" : "False")}}}"}]}}
            """)!;
        var patched = await api.PatchAsync($"/api/v1/namespaces/{ns}/pods/{name}/status", status);
        patched.Status.Should().Be(HttpStatusCode.OK, patched.Body?.ToJsonString());
        return patched;
    }

    /// <summary>A budget over app=web (or the selector in <paramref name="spec"/>) with the spec's other fields.</summary>
    public static async Task BudgetAsync(ApiClient api, string ns, string name, string spec)
    {
        var budget = JsonNode.Parse("""
            {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{},"spec":{"selector":{"matchLabels":{"app":"web"}}}}
            """)!.AsObject();
        budget["metadata"]!["name"] = name;
        foreach (var (key, value) in JsonNode.Parse(spec)!.AsObject())
        {
            budget["spec"]![key] = value?.DeepClone();
        }
        var created = await api.PostAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets", budget);
        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
    }

    /// <summary>The budget's status once the controller has written one that passes <paramref name="settled"/>.</summary>
    public static async Task<ApiResponse> SettledStatusAsync(ApiClient api, string ns, string name, Func<ApiResponse, bool> settled)
    {
        ApiResponse? last = null;
        await Eventually.TrueAsync(async () =>
        {
            last = await api.GetAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/{name}");
            return last.Object["status"] is JsonObject { Count: > 0 } && settled(new ApiResponse(last.Status, last.Object["status"]));
        });
        last!.Object["status"].Should().BeOfType<JsonObject>($"the controller writes a status: {last.Body?.ToJsonString()}");
        return new ApiResponse(last.Status, last.Object["status"]);
    }

    public static JsonObject Eviction(string ns, string pod, JsonObject? deleteOptions = null)
    {
        var eviction = new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "Eviction",
            ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = ns },
        };
        if (deleteOptions is not null)
        {
            eviction["deleteOptions"] = deleteOptions;
        }
        return eviction;
    }

    public static Task<ApiResponse> EvictAsync(ApiClient api, string ns, string pod, JsonObject? deleteOptions = null) =>
        api.PostAsync($"/api/v1/namespaces/{ns}/pods/{pod}/eviction", Eviction(ns, pod, deleteOptions));
}
