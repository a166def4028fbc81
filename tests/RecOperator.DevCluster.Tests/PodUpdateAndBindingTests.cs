using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;
using static RecOperator.DevCluster.Tests.Support.BuiltInSamples;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// A pod's spec is fixed once it exists, as on a real server: an update may change images, add tolerations, lower
/// activeDeadlineSeconds; anything else is 422 Forbidden at `spec`. spec.nodeName is set through the pod's binding
/// subresource, with the real server's answers (201 Success, 409 on pods/binding when already bound or terminating).
/// A create that carries a resourceVersion is refused as the real storage layer refuses it; a new pod's status is the
/// server's (Pending, its QoS class), whatever the client sent.
/// </summary>
public sealed class PodUpdateAndBindingTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public PodUpdateAndBindingTests(ClusterFixture fixture) => _api = fixture.Api;

    [Theory]
    [InlineData("""{"spec":{"containers":[{"name":"c","image":"i:2"}]}}""", null)]
    [InlineData("""{"metadata":{"labels":{"tier":"front"}}}""", null)]
    // The list is replaced whole, so it repeats the not-ready and unreachable tolerations admission added (DefaultTolerationSeconds).
    [InlineData("""{"spec":{"tolerations":[{"key":"spot","operator":"Exists","effect":"NoExecute","tolerationSeconds":30},{"key":"new","operator":"Exists"},"""
        + """{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},"""
        + """{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]}}""", null)]
    [InlineData("""{"spec":{"activeDeadlineSeconds":100}}""", null)]
    [InlineData("""{"spec":{"containers":[{"name":"c","image":"i","command":["sh"]}]}}""", "spec.containers[0].command: null -> [\"sh\"]")]
    [InlineData("""{"spec":{"nodeName":"node-a"}}""", "spec.nodeName: null -> \"node-a\"")]
    [InlineData("""{"spec":{"tolerations":[{"key":"new","operator":"Exists"}]}}""", "existing toleration can not be modified except its tolerationSeconds")]
    [InlineData("""{"spec":{"activeDeadlineSeconds":900}}""", "spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value")]
    public async Task Update_Pod_ImagesTolerationAdditionsAndMetadataPassEverythingElseIs422(string patch, string? refusal)
    {
        var ns = await _api.NewNamespaceAsync();
        var pod = Merge(Sample("pods", "p"), """{"spec":{"activeDeadlineSeconds":600,"tolerations":[{"key":"spot","operator":"Exists","effect":"NoExecute"}]}}""");
        (await _api.PostAsync(Collection("pods", ns), pod)).Status.Should().Be(HttpStatusCode.Created);

        // Strategic merge, as kubectl patches: containers merge by name, keeping what the server defaulted in them.
        var result = await _api.PatchAsync($"{Collection("pods", ns)}/p", JsonNode.Parse(patch)!, "application/strategic-merge-patch+json");

        if (refusal is null)
        {
            result.Status.Should().Be(HttpStatusCode.OK, result.Body?.ToJsonString());
            return;
        }
        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity, result.Body?.ToJsonString());
        result.Str("reason").Should().Be("Invalid");
        result.Str("message").Should().Contain(refusal);
        (await _api.GetAsync($"{Collection("pods", ns)}/p")).Object["spec"]!["containers"]![0]!["image"]!.GetValue<string>().Should().Be("i", "the refused update left the pod as it was");
    }

    [Fact]
    public async Task Put_PodWithAnotherContainerPort_ForbiddenNamingTheUpdatableFields()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = await _api.PostAsync(Collection("pods", ns), Sample("pods", "p"));
        var changed = created.Object.DeepClone().AsObject();
        changed["spec"]!["containers"]![0]!["ports"] = JsonNode.Parse("""[{"containerPort":8080}]""");

        var result = await _api.PutAsync($"{Collection("pods", ns)}/p", changed);

        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        result.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>().Should().Be("spec");
        result.Object["details"]!["causes"]![0]!["reason"]!.GetValue<string>().Should().Be("FieldValueForbidden");
        result.Str("message").Should().Contain("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`")
            .And.Contain("spec.containers[0].ports: null -> [{\"containerPort\":8080");
    }

    [Fact]
    public async Task Binding_UnboundPod_201SuccessSetsNodeNameConditionAndAnnotations()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = await _api.PostAsync(Collection("pods", ns), Sample("pods", "p"));
        var binding = Binding("p", "node-a", created.Str("metadata.uid"));
        binding["metadata"]!["annotations"] = new JsonObject { ["scheduler.example/score"] = "7" };

        var result = await _api.PostAsync($"{Collection("pods", ns)}/p/binding", binding);

        result.Status.Should().Be(HttpStatusCode.Created, result.Body?.ToJsonString());
        result.Str("kind").Should().Be("Status");
        result.Str("status").Should().Be("Success");
        var pod = await _api.GetAsync($"{Collection("pods", ns)}/p");
        pod.Str("spec.nodeName").Should().Be("node-a");
        pod.Object["metadata"]!["annotations"]!["scheduler.example/score"]!.GetValue<string>().Should().Be("7");
        var scheduled = pod.Object["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "PodScheduled")!;
        scheduled["status"]!.GetValue<string>().Should().Be("True");
        scheduled["lastTransitionTime"].Should().NotBeNull();
        pod.Object["metadata"]!["managedFields"]!.AsArray().Select(f => f!["subresource"]?.GetValue<string>()).Should().NotContain("binding");
    }

    [Fact]
    public async Task Binding_AlreadyBoundStaleUidBadTargetOrWrongName_RefusedAndThePodKeepsItsNode()
    {
        var ns = await _api.NewNamespaceAsync();
        var uid = (await _api.PostAsync(Collection("pods", ns), Sample("pods", "p"))).Str("metadata.uid");
        var path = $"{Collection("pods", ns)}/p/binding";
        (await _api.PostAsync(path, Binding("p", "node-a", uid))).Status.Should().Be(HttpStatusCode.Created);

        var again = await _api.PostAsync(path, Binding("p", "node-b", null));
        var staleUid = await _api.PostAsync(path, Binding("p", "node-b", Guid.NewGuid().ToString()));
        var podTarget = Binding("p", "node-b", null);
        podTarget["target"]!["kind"] = "Pod";
        var badTarget = await _api.PostAsync(path, podTarget);
        var noTarget = await _api.PostAsync(path, JsonNode.Parse("""{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"name":""}}""")!);
        var otherName = await _api.PostAsync(path, Binding("q", "node-b", null));
        var missing = await _api.PostAsync($"{Collection("pods", ns)}/absent/binding", Binding("absent", "node-a", null));
        var get = await _api.GetAsync(path);

        again.Status.Should().Be(HttpStatusCode.Conflict);
        again.Str("message").Should().Be("Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"node-a\"");
        staleUid.Status.Should().Be(HttpStatusCode.Conflict);
        staleUid.Str("message").Should().Contain("Precondition failed: UID in precondition");
        badTarget.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        badTarget.Str("message").Should().Contain("target.kind: Unsupported value: \"Pod\"");
        noTarget.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        noTarget.Str("message").Should().Contain("target.name: Required value");
        otherName.Status.Should().Be(HttpStatusCode.BadRequest);
        otherName.Str("message").Should().Be("name in URL does not match name in Binding object");
        missing.Status.Should().Be(HttpStatusCode.NotFound);
        get.Status.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await _api.GetAsync($"{Collection("pods", ns)}/p")).Str("spec.nodeName").Should().Be("node-a");
    }

    [Fact]
    public async Task Binding_TerminatingPod_409BeingDeleted()
    {
        var ns = await _api.NewNamespaceAsync();
        var pod = Merge(Sample("pods", "p"), """{"metadata":{"finalizers":["example.com/hold"]}}""");
        (await _api.PostAsync(Collection("pods", ns), pod)).Status.Should().Be(HttpStatusCode.Created);
        (await _api.DeleteAsync($"{Collection("pods", ns)}/p")).Status.Should().Be(HttpStatusCode.OK);

        var result = await _api.PostAsync($"{Collection("pods", ns)}/p/binding", Binding("p", "node-a", null));

        result.Status.Should().Be(HttpStatusCode.Conflict);
        result.Str("message").Should().Contain("pod p is being deleted, cannot be assigned to a host");
    }

    [Fact]
    public async Task Discovery_CoreV1_ListsPodsBindingForCreateOnly()
    {
        var resources = (await _api.GetAsync("/api/v1")).Object["resources"]!.AsArray();

        var binding = resources.Single(r => r!["name"]!.GetValue<string>() == "pods/binding")!;

        binding["kind"]!.GetValue<string>().Should().Be("Binding");
        binding["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("create");
    }

    [Theory]
    [InlineData("configmaps")]
    [InlineData("pods")]
    public async Task Create_WithAResourceVersion_RefusedAsTheStorageLayerDoesAndNothingStored(string plural)
    {
        var ns = await _api.NewNamespaceAsync();
        var readBack = Merge(Sample(plural, "x"), """{"metadata":{"resourceVersion":"42"}}""");
        var unparsable = Merge(Sample(plural, "y"), """{"metadata":{"resourceVersion":"-1"}}""");

        var result = await _api.PostAsync(Collection(plural, ns), readBack);
        var ignored = await _api.PostAsync(Collection(plural, ns), unparsable);

        result.Status.Should().Be(HttpStatusCode.InternalServerError);
        result.Str("message").Should().Be("resourceVersion should not be set on objects to be created");
        result.Object.ContainsKey("reason").Should().BeFalse("the real server sends this error without a reason");
        (await _api.GetAsync($"{Collection(plural, ns)}/x")).Status.Should().Be(HttpStatusCode.NotFound);
        ignored.Status.Should().Be(HttpStatusCode.Created, "a resourceVersion that is not a version is ignored, as on the real server");
        ignored.Str("metadata.resourceVersion").Should().NotBe("-1");
    }

    [Theory]
    [InlineData("GET", "/api/v1/namespaces/default/nodes")]
    [InlineData("GET", "/api/v1/namespaces/default/namespaces")]
    [InlineData("POST", "/api/v1/namespaces/default/namespaces")]
    [InlineData("GET", "/apis/apiextensions.k8s.io/v1/namespaces/default/customresourcedefinitions")]
    public async Task ClusterScopedResource_UnderANamespacePath_404(string method, string path)
    {
        var result = await _api.SendAsync(new HttpMethod(method), path, method == "POST" ? new JsonObject { ["metadata"] = new JsonObject { ["name"] = "nested" } } : null, "application/json");

        result.Status.Should().Be(HttpStatusCode.NotFound, result.Body?.ToJsonString());
        (await _api.GetAsync("/api/v1/namespaces/nested")).Status.Should().Be(HttpStatusCode.NotFound, "nothing was created");
    }

    [Fact]
    public async Task Create_PodWithAStatus_StatusResetToPendingThenWrittenThroughTheStatusSubresource()
    {
        var ns = await _api.NewNamespaceAsync();
        var pod = Merge(Sample("pods", "p"), """{"status":{"phase":"Succeeded","podIP":"10.0.0.7","conditions":[{"type":"Ready","status":"True"}]}}""");

        var created = await _api.PostAsync(Collection("pods", ns), pod);
        var status = created.Object.DeepClone().AsObject();
        status["status"] = JsonNode.Parse("""{"phase":"Running","podIP":"127.0.0.1"}""");
        var written = await _api.PutAsync($"{Collection("pods", ns)}/p/status", status);

        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
        created.Object["status"]!.ToJsonString().Should().Be("""{"phase":"Pending","qosClass":"BestEffort"}""", "a client cannot create a pod that already ran");
        written.Status.Should().Be(HttpStatusCode.OK, written.Body?.ToJsonString());
        written.Str("status.phase").Should().Be("Running");
        written.Str("status.podIP").Should().Be("127.0.0.1");
        written.Str("status.qosClass").Should().Be("BestEffort", "the class is set on create; a status write without it keeps it");
    }

    [Theory]
    [InlineData("""[{"name":"c","image":"i"}]""", "BestEffort")]
    [InlineData("""[{"name":"c","image":"i","resources":{"requests":{"cpu":"100m"}}}]""", "Burstable")]
    [InlineData("""[{"name":"c","image":"i","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]""", "Guaranteed")]
    [InlineData("""[{"name":"c","image":"i","resources":{"requests":{"cpu":"1000m","memory":"1024Mi"},"limits":{"cpu":"1","memory":"1Gi"}}}]""", "Guaranteed")]
    [InlineData("""[{"name":"c","image":"i","resources":{"requests":{"cpu":"500m"},"limits":{"cpu":"1","memory":"1Gi"}}}]""", "Burstable")]
    [InlineData("""[{"name":"c","image":"i","resources":{"limits":{"cpu":"1"}}}]""", "Burstable")]
    [InlineData("""[{"name":"c","image":"i","resources":{"limits":{"cpu":"1","memory":"1Gi"}}},{"name":"d","image":"i"}]""", "Burstable")]
    [InlineData("""[{"name":"c","image":"i","resources":{"requests":{"cpu":"0"},"limits":{"nvidia.com/gpu":"1"}}}]""", "BestEffort")]
    public async Task Create_Pod_QosClassFromItsContainersRequestsAndLimits(string containers, string qosClass)
    {
        var ns = await _api.NewNamespaceAsync();
        var pod = Sample("pods", "p");
        pod["spec"]!["containers"] = JsonNode.Parse(containers);

        var created = await _api.PostAsync(Collection("pods", ns), pod);

        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
        created.Str("status.qosClass").Should().Be(qosClass);
    }

    [Fact]
    public async Task Create_PodWithSchedulingGates_PodScheduledFalseSchedulingGated()
    {
        var ns = await _api.NewNamespaceAsync();
        var pod = Merge(Sample("pods", "p"), """{"spec":{"schedulingGates":[{"name":"example.com/wait"}]}}""");

        var created = await _api.PostAsync(Collection("pods", ns), pod);

        var condition = created.Object["status"]!["conditions"]!.AsArray().Single()!;
        condition["type"]!.GetValue<string>().Should().Be("PodScheduled");
        condition["status"]!.GetValue<string>().Should().Be("False");
        condition["reason"]!.GetValue<string>().Should().Be("SchedulingGated");
        condition["message"]!.GetValue<string>().Should().Be("Scheduling is blocked due to non-empty scheduling gates");
    }

    private static JsonObject Binding(string name, string node, string? uid)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (uid is not null)
        {
            metadata["uid"] = uid;
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Binding",
            ["metadata"] = metadata,
            ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node },
        };
    }
}
