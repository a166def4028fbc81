using RecOperator.Kube.Yaml;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// manifests/rbac grants exactly what the operator uses: every request of a full run (<see cref="OperatorScenario"/>)
/// is allowed by the ClusterRole or the leader-election Role, and every granted verb was used (least privilege).
/// </summary>
public sealed class RbacTests(OperatorScenario scenario) : IClassFixture<OperatorScenario>
{
    [Fact]
    public void Manifests_FullOperatorRun_GrantExactlyTheVerbsUsed()
    {
        var used = scenario.Requests.SelectMany(RequestAttributes.AllOf).Select(a => a.ToString()).ToHashSet();
        var granted = Granted();

        used.Except(granted).Should().BeEmpty("every call the operator makes must be granted");
        granted.Except(used).Should().BeEmpty("nothing the operator never calls may be granted");
    }

    [Fact]
    public void Manifests_ClusterRoleAndBinding_NameTheOperatorsServiceAccount()
    {
        var documents = Directory.GetFiles(RepoPaths.Combine("manifests", "rbac"), "*.yaml")
            .SelectMany(f => YamlDocuments.Parse(File.ReadAllText(f))).ToList();
        var account = documents.Single(d => (string?)d!["kind"] == "ServiceAccount")!;
        foreach (var binding in documents.Where(d => ((string?)d!["kind"])!.EndsWith("Binding", StringComparison.Ordinal)))
        {
            binding!["subjects"]![0]!["name"]!.GetValue<string>().Should().Be((string)account["metadata"]!["name"]!);
            binding["subjects"]![0]!["namespace"]!.GetValue<string>().Should().Be((string)account["metadata"]!["namespace"]!);
            var role = documents.Single(d => (string?)d!["kind"] == (string?)binding["roleRef"]!["kind"] && (string?)d!["metadata"]!["name"] == (string?)binding["roleRef"]!["name"]);
            role.Should().NotBeNull();
        }
    }

    [Fact]
    public void RequestAttributes_Paths_ResolveAsTheApiServerDoes()
    {
        RequestAttributes.Of(new("GET", "/apis/apps/v1/namespaces/default/deployments?labelSelector=a%3Db&limit=500", null, null, 200))!.ToString().Should().Be("apps/deployments:list");
        RequestAttributes.Of(new("GET", "/apis/apps/v1/deployments?watch=true&resourceVersion=5", null, null, 200))!.ToString().Should().Be("apps/deployments:watch");
        RequestAttributes.Of(new("PATCH", "/apis/serving.recoperator.io/v1alpha1/nodepools/gpu/status?fieldManager=x", null, null, 200))!.ToString().Should().Be("serving.recoperator.io/nodepools/status:patch");
        RequestAttributes.Of(new("GET", "/api/v1/namespaces/default/pods", null, null, 200))!.ToString().Should().Be("core/pods:list");
        RequestAttributes.Of(new("GET", "/apis/gateway.networking.k8s.io/v1", null, null, 200)).Should().BeNull();
        RequestAttributes.AllOf(new("PATCH", "/apis/apps/v1/namespaces/default/deployments/d?fieldManager=x&force=true", null, null, 201))
            .Select(a => a.ToString()).Should().Equal(["apps/deployments:patch", "apps/deployments:create"], "an apply that creates is also authorized as a create");
        RequestAttributes.AllOf(new("PATCH", "/apis/apps/v1/namespaces/default/deployments/d?fieldManager=x&force=true", null, null, 200))
            .Select(a => a.ToString()).Should().Equal(["apps/deployments:patch"]);
    }

    private static HashSet<string> Granted()
    {
        var granted = new HashSet<string>();
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("manifests", "rbac"), "*.yaml"))
        {
            foreach (var document in YamlDocuments.Parse(File.ReadAllText(file)).Where(d => (string?)d!["kind"] is "ClusterRole" or "Role"))
            {
                foreach (var rule in document!["rules"]!.AsArray())
                {
                    foreach (var group in rule!["apiGroups"]!.AsArray())
                    {
                        foreach (var resource in rule["resources"]!.AsArray())
                        {
                            foreach (var verb in rule["verbs"]!.AsArray())
                            {
                                granted.Add(new RequestAttributes((string)group!, (string)resource!, (string)verb!).ToString());
                            }
                        }
                    }
                }
            }
        }

        return granted;
    }
}
