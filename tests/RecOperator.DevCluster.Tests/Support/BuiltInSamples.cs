using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Tests.Support;

/// <summary>Small valid built-in objects to post, and a JSON merge to set one field of them wrong.</summary>
public static class BuiltInSamples
{
    public static string Collection(string plural, string ns) => plural is "deployments" or "replicasets"
        ? $"/apis/apps/v1/namespaces/{ns}/{plural}"
        : $"/api/v1/namespaces/{ns}/{plural}";

    public static JsonObject Sample(string plural, string name) => JsonNode.Parse((plural switch
    {
        "deployments" => """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},
             "spec":{"selector":{"matchLabels":{"app":"NAME"}},
                     "template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
            """,
        "pods" => """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME"},"spec":{"containers":[{"name":"c","image":"i"}]}}""",
        "configmaps" => """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"NAME"},"data":{"k":"v"}}""",
        "secrets" => """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"NAME"},"data":{"k":"dg=="}}""",
        "services" => """{"apiVersion":"v1","kind":"Service","metadata":{"name":"NAME"},"spec":{"ports":[{"port":80}]}}""",
        _ => throw new ArgumentOutOfRangeException(nameof(plural), plural, "no sample"),
    }).Replace("NAME", name, StringComparison.Ordinal))!.AsObject();

    /// <summary>A JSON merge of <paramref name="overlay"/> onto the sample (lists replaced whole), to set one field.</summary>
    public static JsonObject Merge(JsonObject sample, string overlay) =>
        (JsonObject)Patching.JsonMergePatch.Apply(sample, JsonNode.Parse(overlay))!;
}
