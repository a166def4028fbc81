using System.Text.Json.Nodes;
using RecOperator.Kube.Yaml;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// Every built-in object the operator wrote in a full run (<see cref="OperatorScenario"/>) is valid against the
/// official schema in ../shared/k8s/swagger.json: unknown fields, wrong types and missing required fields fail.
/// Custom kinds (RecModel and NodePool status, HTTPRoute) are checked by their own CRD schemas on the server.
/// </summary>
public sealed class WrittenObjectsSchemaTests(OperatorScenario scenario) : IClassFixture<OperatorScenario>
{
    [Fact]
    public void Writes_FullOperatorRun_EveryBuiltInObjectMatchesTheOfficialSchema()
    {
        var written = scenario.Requests
            .Where(r => r.Body is not null && (r.Method is "POST" or "PUT" || r.ContentType == "application/apply-patch+yaml"))
            .Select(r => (r.Path, Object: YamlDocuments.Parse(r.Body!).Single()!))
            .Where(w => IsBuiltIn((string?)w.Object["apiVersion"]))
            .ToList();

        written.Select(w => (string?)w.Object["kind"]).Distinct().Should().Contain(["Deployment", "Service", "PodDisruptionBudget", "ConfigMap", "Event", "Lease"]);
        foreach (var (path, obj) in written)
        {
            OfficialSchema.Load().Validate(obj).Should().BeEmpty($"{path} wrote {obj.ToJsonString()}");
        }
    }

    private static bool IsBuiltIn(string? apiVersion) =>
        apiVersion is not null && !apiVersion.StartsWith("serving.recoperator.io/", StringComparison.Ordinal)
        && !apiVersion.StartsWith("gateway.networking.k8s.io/", StringComparison.Ordinal);
}
