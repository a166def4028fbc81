using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Tests.Support;

/// <summary>The test CRD (testassets/widgets-crd.yaml): status and scale subresources, enum/min/max/pattern, a default.</summary>
public static class Widgets
{
    public static string Collection(string ns) => $"/apis/test.recoperator.io/v1/namespaces/{ns}/widgets";

    public static string Item(string ns, string name) => $"{Collection(ns)}/{name}";

    public static JsonObject New(string name, string size = "small", int? replicas = null, JsonObject? labels = null)
    {
        var spec = new JsonObject { ["size"] = size };
        if (replicas is not null)
        {
            spec["replicas"] = replicas;
        }
        return new JsonObject
        {
            ["apiVersion"] = "test.recoperator.io/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels ?? new JsonObject() },
            ["spec"] = spec,
        };
    }
}
