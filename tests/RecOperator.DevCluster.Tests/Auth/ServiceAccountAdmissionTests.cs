using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests.Auth;

/// <summary>
/// What kube-controller-manager and kube-apiserver's admission give every namespace and pod, through the real kubectl:
/// the `default` ServiceAccount and `kube-root-ca.crt` ConfigMap (created with the namespace, put back when deleted or
/// changed), the ServiceAccount admission plugin (defaulting, refusing an account that does not exist) and
/// DefaultTolerationSeconds.
/// </summary>
public sealed class ServiceAccountAdmissionTests(SecureClusterFixture cluster) : IClassFixture<SecureClusterFixture>
{
    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    public async Task BuiltInNamespace_AtStartUp_HasDefaultAccountAndRootCa(string ns)
    {
        var account = await cluster.Admin.GetAsync($"/api/v1/namespaces/{ns}/serviceaccounts/default");
        var rootCa = await cluster.Admin.GetAsync($"/api/v1/namespaces/{ns}/configmaps/kube-root-ca.crt");

        account.Status.Should().Be(HttpStatusCode.OK, account.Body?.ToJsonString());
        rootCa.Object["data"]!["ca.crt"]!.GetValue<string>().Should().Be(cluster.Server.CaPem);
    }

    [Fact]
    public async Task KubectlCreateNamespace_ThenPodAtOnce_PodRunsAsDefaultAccount()
    {
        var ns = "sa-" + Guid.NewGuid().ToString("N")[..8];

        var created = await cluster.KubectlAsync("create", "namespace", ns);
        var pod = await cluster.KubectlAsync("run", "p", "-n", ns, "--image", "registry.local/app:1", "-o", "json");
        var accounts = await cluster.KubectlAsync("get", "serviceaccounts", "-n", ns, "-o", "name");
        var rootCa = await cluster.KubectlAsync("get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", "jsonpath={.data.ca\\.crt}");

        created.ExitCode.Should().Be(0, created.ToString());
        pod.ExitCode.Should().Be(0, pod.ToString());
        var spec = JsonNode.Parse(pod.Stdout)!["spec"]!;
        spec["serviceAccountName"]!.GetValue<string>().Should().Be("default");
        spec["serviceAccount"]!.GetValue<string>().Should().Be("default", "the deprecated alias reads back equal to the name");
        accounts.Stdout.Trim().Should().Be("serviceaccount/default");
        rootCa.Stdout.Should().Be(cluster.Server.CaPem);
    }

    [Fact]
    public async Task KubectlCreatePod_AccountMissing_ForbiddenWithTheLookupError()
    {
        var ns = await cluster.Admin.NewNamespaceAsync();

        var result = await cluster.KubectlWithInputAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: lost, namespace: {{ns}}}
            spec:
              serviceAccountName: ghost
              containers: [{name: main, image: registry.local/app:1}]
            """, "create", "-f", "-");

        result.ExitCode.Should().Be(1);
        result.Stderr.Trim().Should().Be($"Error from server (Forbidden): error when creating \"STDIN\": pods \"lost\" is forbidden: error looking up service account {ns}/ghost: serviceaccount \"ghost\" not found");
    }

    [Fact]
    public async Task PodCreate_NoTolerations_GetsNotReadyAndUnreachableForFiveMinutes()
    {
        var ns = await cluster.Admin.NewNamespaceAsync();

        var pod = await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("p", new JsonArray()));

        pod.Status.Should().Be(HttpStatusCode.Created, pod.Body?.ToJsonString());
        pod.Object["spec"]!["tolerations"]!.ToJsonString().Should().Be(
            """[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},"""
            + """{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]""");
    }

    [Fact]
    public async Task PodCreate_ToleratesNotReadyItself_KeepsItsOwnAndGetsOnlyUnreachable()
    {
        var ns = await cluster.Admin.NewNamespaceAsync();
        var own = new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 30 };

        var pod = await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("p", new JsonArray(own)));

        pod.Status.Should().Be(HttpStatusCode.Created, pod.Body?.ToJsonString());
        var tolerations = pod.Object["spec"]!["tolerations"]!.AsArray();
        tolerations.Select(t => (t!["key"]!.GetValue<string>(), t["tolerationSeconds"]!.GetValue<long>())).Should().Equal(
            ("node.kubernetes.io/not-ready", 30L), ("node.kubernetes.io/unreachable", 300L));
    }

    [Fact]
    public async Task DefaultAccountDeleted_IsCreatedAgain()
    {
        var ns = await cluster.Admin.NewNamespaceAsync();
        var before = await cluster.Admin.GetAsync($"/api/v1/namespaces/{ns}/serviceaccounts/default");

        var deleted = await cluster.KubectlAsync("delete", "serviceaccount", "default", "-n", ns);

        deleted.ExitCode.Should().Be(0, deleted.ToString());
        (await Eventually.TrueAsync(async () => await cluster.Admin.GetAsync($"/api/v1/namespaces/{ns}/serviceaccounts/default") is { Status: HttpStatusCode.OK } again
            && again.Str("metadata.uid") != before.Str("metadata.uid"))).Should().BeTrue("the serviceaccounts controller puts the account back");
    }

    [Fact]
    public async Task RootCaConfigMap_ChangedOrDeleted_IsRestored()
    {
        var ns = await cluster.Admin.NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps/kube-root-ca.crt";

        var edited = await cluster.Admin.PatchAsync(path, new JsonObject { ["data"] = new JsonObject { ["ca.crt"] = "not a CA" } });
        edited.Status.Should().Be(HttpStatusCode.OK, edited.Body?.ToJsonString());
        (await Eventually.TrueAsync(async () => (await cluster.Admin.GetAsync(path)).Body?["data"]?["ca.crt"]?.GetValue<string>() == cluster.Server.CaPem))
            .Should().BeTrue("the publisher puts the CA back");

        var deleted = await cluster.KubectlAsync("delete", "configmap", "kube-root-ca.crt", "-n", ns);
        deleted.ExitCode.Should().Be(0, deleted.ToString());
        (await Eventually.TrueAsync(async () => (await cluster.Admin.GetAsync(path)).Body?["data"]?["ca.crt"]?.GetValue<string>() == cluster.Server.CaPem))
            .Should().BeTrue("the publisher creates it again");
    }

    private static JsonObject Pod(string name, JsonArray tolerations) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.local/app:1" }),
            ["tolerations"] = tolerations,
        },
    };
}
