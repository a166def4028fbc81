using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>CRD schema validation and defaulting, patch formats, server-side apply, discovery and Table output.</summary>
public sealed class ValidationAndPatchTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public ValidationAndPatchTests(ClusterFixture fixture) => _api = fixture.Api;

    [Fact]
    public async Task Create_InvalidCustomResource_Returns422WithOneCausePerField()
    {
        var ns = await _api.NewNamespaceAsync();
        var bad = Widgets.New("bad", size: "huge", replicas: 500);
        bad["spec"]!["owner"] = "Not Lower";
        bad["spec"]!["tags"] = new JsonArray("a", "b", "c", "d");

        var result = await _api.PostAsync(Widgets.Collection(ns), bad);

        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        result.Str("reason").Should().Be("Invalid");
        var causes = result.Object["details"]!["causes"]!.AsArray().Select(c => (Field: c!["field"]!.GetValue<string>(), Reason: c["reason"]!.GetValue<string>())).ToList();
        causes.Should().BeEquivalentTo(new[]
        {
            ("spec.size", "FieldValueNotSupported"), ("spec.replicas", "FieldValueInvalid"),
            ("spec.owner", "FieldValueInvalid"), ("spec.tags", "FieldValueTooMany"),
            ("spec", "FieldValueInvalid"),
        }, "the CEL rule on spec (replicas over 50 need size large) runs too: there is no type error");
    }

    [Fact]
    public async Task Create_BreakingCelRules_Returns422WithRuleMessages()
    {
        var ns = await _api.NewNamespaceAsync();
        var bad = Widgets.New("cel", size: "small", replicas: 60);
        bad["spec"]!["owner"] = "root";
        var fine = Widgets.New("cel-ok", size: "large", replicas: 60);

        var rejected = await _api.PostAsync(Widgets.Collection(ns), bad);
        var accepted = await _api.PostAsync(Widgets.Collection(ns), fine);

        rejected.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        rejected.Str("message").Should().Contain("only large widgets may have more than 50 replicas").And.Contain("owner may not be root");
        rejected.Object["details"]!["causes"]!.AsArray().Select(c => c!["reason"]!.GetValue<string>()).Should().Contain("FieldValueForbidden");
        accepted.Status.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task CreateAndPatch_StringWhereIntegerExpected_Returns422NamingTheField()
    {
        var ns = await _api.NewNamespaceAsync();
        var bad = Widgets.New("typed");
        bad["spec"]!["replicas"] = "three";
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("typed-ok"));

        var created = await _api.PostAsync(Widgets.Collection(ns), bad);
        var patched = await _api.PatchAsync(Widgets.Item(ns, "typed-ok"), JsonNode.Parse("""{"spec":{"replicas":"3"}}""")!);

        foreach (var result in new[] { created, patched })
        {
            result.Status.Should().Be(HttpStatusCode.UnprocessableEntity, result.Body?.ToJsonString());
            result.Str("reason").Should().Be("Invalid");
            var cause = result.Object["details"]!["causes"]!.AsArray().Should().ContainSingle().Subject!;
            (cause["field"]!.GetValue<string>(), cause["reason"]!.GetValue<string>()).Should().Be(("spec.replicas", "FieldValueTypeInvalid"));
            result.Str("message").Should().Contain("spec.replicas").And.Contain("integer");
        }
        (await _api.GetAsync(Widgets.Item(ns, "typed-ok"))).Num("spec.replicas").Should().Be(1, "the rejected patch stored nothing");
    }

    [Fact]
    public async Task Create_MissingRequiredField_Returns422Required()
    {
        var ns = await _api.NewNamespaceAsync();
        var missing = Widgets.New("m");
        missing["spec"] = new JsonObject();

        var result = await _api.PostAsync(Widgets.Collection(ns), missing);

        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        result.Str("message").Should().Contain("spec.size: Required value");
    }

    [Fact]
    public async Task Create_CustomResource_AppliesDefaultsAndPrunesUnknownFields()
    {
        var ns = await _api.NewNamespaceAsync();
        var widget = Widgets.New("d");
        widget["spec"]!["unknown"] = "dropped";

        var created = await _api.PostAsync(Widgets.Collection(ns), widget);

        created.Num("spec.replicas").Should().Be(1);
        created.Object["spec"]!["unknown"].Should().BeNull();
    }

    [Fact]
    public async Task Create_StrictFieldValidationWithUnknownField_Returns400()
    {
        var ns = await _api.NewNamespaceAsync();
        var widget = Widgets.New("strict");
        widget["spec"]!["unknown"] = 1;

        var result = await _api.PostAsync(Widgets.Collection(ns) + "?fieldValidation=Strict", widget);

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Str("message").Should().Contain("unknown field \"spec.unknown\"");
    }

    [Fact]
    public async Task Patch_JsonPatchAndMergePatch_ApplyToCustomResource()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("p"));

        var jsonPatched = await _api.PatchAsync(Widgets.Item(ns, "p"), JsonNode.Parse("""[{"op":"add","path":"/spec/tags","value":["x"]},{"op":"replace","path":"/spec/size","value":"large"}]""")!, "application/json-patch+json");
        var merged = await _api.PatchAsync(Widgets.Item(ns, "p"), JsonNode.Parse("""{"spec":{"tags":null}}""")!);
        var strategic = await _api.PatchAsync(Widgets.Item(ns, "p"), JsonNode.Parse("""{"spec":{"size":"small"}}""")!, "application/strategic-merge-patch+json");

        jsonPatched.Str("spec.size").Should().Be("large");
        jsonPatched.Object["spec"]!["tags"]!.AsArray().Should().HaveCount(1);
        merged.Object["spec"]!["tags"].Should().BeNull();
        strategic.Status.Should().Be(HttpStatusCode.UnsupportedMediaType, "custom resources do not support strategic merge patch");
    }

    [Fact]
    public async Task Patch_StrategicMergeOnDeployment_MergesContainersByName()
    {
        var ns = await _api.NewNamespaceAsync();
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
              "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"nginx:1"},{"name":"side","image":"busybox"}]}}}}
            """)!;
        await _api.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments", deployment);

        var patched = await _api.PatchAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web",
            JsonNode.Parse("""{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:2"}]}}}}""")!, "application/strategic-merge-patch+json");

        var containers = patched.Object["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        containers.Select(c => c!["image"]!.GetValue<string>()).Should().Equal("nginx:2", "busybox");
        patched.Num("metadata.generation").Should().Be(2);
    }

    [Fact]
    public async Task ServerSideApply_ConflictingManager_Returns409UnlessForced()
    {
        var ns = await _api.NewNamespaceAsync();
        var applied = Widgets.New("ssa", replicas: 2);
        var first = await _api.PatchAsync(Widgets.Item(ns, "ssa") + "?fieldManager=alice", applied, "application/apply-patch+yaml");
        var conflicting = Widgets.New("ssa", replicas: 4);

        var conflict = await _api.PatchAsync(Widgets.Item(ns, "ssa") + "?fieldManager=bob", conflicting, "application/apply-patch+yaml");
        var forced = await _api.PatchAsync(Widgets.Item(ns, "ssa") + "?fieldManager=bob&force=true", conflicting, "application/apply-patch+yaml");

        first.Status.Should().Be(HttpStatusCode.Created);
        conflict.Status.Should().Be(HttpStatusCode.Conflict);
        conflict.Str("message").Should().Contain("conflicts with \"alice\":").And.Contain("\n- .spec.replicas");
        forced.Num("spec.replicas").Should().Be(4);
        var managers = forced.Object["metadata"]!["managedFields"]!.AsArray().Select(m => m!["manager"]!.GetValue<string>());
        managers.Should().BeEquivalentTo("alice", "bob");
    }

    [Fact]
    public async Task ServerSideApply_SameConfigASecondLater_IsANoOpThatKeepsTheResourceVersion()
    {
        var ns = await _api.NewNamespaceAsync();
        var first = await _api.PatchAsync(Widgets.Item(ns, "noop") + "?fieldManager=alice", Widgets.New("noop"), "application/apply-patch+yaml");
        // managedFields times have second granularity: the re-apply lands in a later second.
        await Task.Delay(TimeSpan.FromSeconds(1.1));

        var again = await _api.PatchAsync(Widgets.Item(ns, "noop") + "?fieldManager=alice", Widgets.New("noop"), "application/apply-patch+yaml");

        again.Status.Should().Be(HttpStatusCode.OK);
        again.Str("metadata.resourceVersion").Should().Be(first.Str("metadata.resourceVersion"), "an apply that changes nothing writes nothing");
    }

    [Fact]
    public async Task ServerSideApply_FieldDroppedFromConfig_IsRemoved()
    {
        var ns = await _api.NewNamespaceAsync();
        var withTags = Widgets.New("drop");
        withTags["spec"]!["tags"] = new JsonArray("x");
        await _api.PatchAsync(Widgets.Item(ns, "drop") + "?fieldManager=alice", withTags, "application/apply-patch+yaml");

        var reapplied = await _api.PatchAsync(Widgets.Item(ns, "drop") + "?fieldManager=alice", Widgets.New("drop"), "application/apply-patch+yaml");

        reapplied.Status.Should().Be(HttpStatusCode.OK);
        reapplied.Object["spec"]!["tags"].Should().BeNull();
    }

    [Fact]
    public async Task ServerSideApply_TwoManagersOnContainerList_OwnTheirElementsByName()
    {
        var ns = await _api.NewNamespaceAsync();
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments/shared";
        static JsonNode Config(string containers) => JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"shared"},
             "spec":{"selector":{"matchLabels":{"app":"s"}},"template":{"metadata":{"labels":{"app":"s"}},"spec":{"containers":[CONTAINERS]}}}}
            """.Replace("CONTAINERS", containers, StringComparison.Ordinal))!;

        await _api.PatchAsync(path + "?fieldManager=alice", Config("""{"name":"main","image":"nginx:1"}"""), "application/apply-patch+yaml");
        await _api.PatchAsync(path + "?fieldManager=bob", Config("""{"name":"side","image":"busybox"}"""), "application/apply-patch+yaml");
        var updated = await _api.PatchAsync(path + "?fieldManager=alice", Config("""{"name":"main","image":"nginx:2"}"""), "application/apply-patch+yaml");
        var bobLeaves = await _api.PatchAsync(path + "?fieldManager=bob", Config(""), "application/apply-patch+yaml");

        updated.Status.Should().Be(HttpStatusCode.OK, updated.Body?.ToJsonString());
        Images(updated).Should().Equal("nginx:2", "busybox");
        Images(bobLeaves).Should().Equal("nginx:2");
        var aliceFields = updated.Object["metadata"]!["managedFields"]!.AsArray().First(m => m!["manager"]!.GetValue<string>() == "alice")!["fieldsV1"]!;
        aliceFields["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!.AsObject().Select(p => p.Key).Should().Equal("k:{\"name\":\"main\"}");
    }

    [Fact]
    public async Task ServerSideApply_PortWithoutProtocol_OwnedAsItsTcpElementAndRemovedWhenDropped()
    {
        var ns = await _api.NewNamespaceAsync();
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments/ported?fieldManager=two";
        static JsonNode Config(string ports) => JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"ported"},
             "spec":{"selector":{"matchLabels":{"app":"p"}},"template":{"metadata":{"labels":{"app":"p"}},"spec":{"containers":[{"name":"b","image":"i"PORTS}]}}}}
            """.Replace("PORTS", ports, StringComparison.Ordinal))!;

        var applied = await _api.PatchAsync(path, Config(""","ports":[{"containerPort":80},{"containerPort":53,"protocol":"UDP"}]"""), "application/apply-patch+yaml");
        var again = await _api.PatchAsync(path, Config(""","ports":[{"containerPort":80},{"containerPort":53,"protocol":"UDP"}]"""), "application/apply-patch+yaml");
        var dropped = await _api.PatchAsync(path, Config(""","ports":[{"containerPort":53,"protocol":"UDP"}]"""), "application/apply-patch+yaml");

        applied.Status.Should().Be(HttpStatusCode.Created, applied.Body?.ToJsonString());
        var fields = applied.Object["metadata"]!["managedFields"]!.AsArray().Single(m => m!["manager"]!.GetValue<string>() == "two")!["fieldsV1"]!;
        fields["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"b\"}"]!["f:ports"]!.AsObject().Select(p => p.Key)
            .Should().BeEquivalentTo("k:{\"containerPort\":80,\"protocol\":\"TCP\"}", "k:{\"containerPort\":53,\"protocol\":\"UDP\"}");
        again.ResourceVersion.Should().Be(applied.ResourceVersion, "the same config again is a no-op");
        dropped.Status.Should().Be(HttpStatusCode.OK, dropped.Body?.ToJsonString());
        dropped.Object["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]!.AsArray().Select(p => p!["containerPort"]!.GetValue<int>())
            .Should().Equal([53], "the port the manager stopped applying is removed");
    }

    [Fact]
    public async Task ServerSideApply_EmptyMap_KeepsTheFieldsAnotherManagerSetInIt()
    {
        var ns = await _api.NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps/maps";
        await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("maps", data: new JsonObject { ["k"] = "v" }));
        await _api.PatchAsync(path + "?fieldManager=ctrl", JsonNode.Parse("""{"metadata":{"annotations":{"ctrl.io/x":"1"}}}""")!);
        static JsonNode Config(string metadata) => JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"maps" """ + metadata + "}}")!;

        var withEmptyMap = await _api.PatchAsync(path + "?fieldManager=gitops", Config(""","annotations":{}"""), "application/apply-patch+yaml");
        var mapDropped = await _api.PatchAsync(path + "?fieldManager=gitops", Config(""), "application/apply-patch+yaml");

        withEmptyMap.Status.Should().Be(HttpStatusCode.OK, withEmptyMap.Body?.ToJsonString());
        withEmptyMap.Object["metadata"]!["annotations"]!["ctrl.io/x"]!.GetValue<string>().Should().Be("1", "an applied empty map claims the map, not the other manager's fields in it");
        mapDropped.Object["metadata"]!["annotations"]!["ctrl.io/x"]!.GetValue<string>().Should().Be("1", "dropping the empty map takes nothing another manager owns");
        mapDropped.Object["data"]!["k"]!.GetValue<string>().Should().Be("v");
    }

    [Fact]
    public async Task ServerSideApply_OnStatus_RecordsTheManagerRemovesWhatItDropsAndConflictsWithAnother()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("st"));
        var status = Widgets.Item(ns, "st") + "/status";
        static JsonNode Status(string fields) => JsonNode.Parse("""{"apiVersion":"test.recoperator.io/v1","kind":"Widget","metadata":{"name":"st"},"status":{""" + fields + "}}")!;

        var both = await _api.PatchAsync(status + "?fieldManager=op1", Status("\"replicas\":1,\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]"), "application/apply-patch+yaml");
        var conditionsOnly = await _api.PatchAsync(status + "?fieldManager=op1", Status("\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]"), "application/apply-patch+yaml");
        await _api.PatchAsync(status + "?fieldManager=op2", Status("\"replicas\":5"), "application/apply-patch+yaml");
        var conflict = await _api.PatchAsync(status + "?fieldManager=op1", Status("\"replicas\":6"), "application/apply-patch+yaml");

        both.Status.Should().Be(HttpStatusCode.OK, both.Body?.ToJsonString());
        var entry = both.Object["metadata"]!["managedFields"]!.AsArray().Single(m => m!["manager"]!.GetValue<string>() == "op1")!;
        entry["subresource"]!.GetValue<string>().Should().Be("status");
        entry["operation"]!.GetValue<string>().Should().Be("Apply");
        conditionsOnly.Object["status"]!.AsObject().ContainsKey("replicas").Should().BeFalse("the manager stopped applying it and nobody else owns it");
        conflict.Status.Should().Be(HttpStatusCode.Conflict, conflict.Body?.ToJsonString());
        conflict.Str("message").Should().Contain("conflict with \"op2\"").And.Contain(".status.replicas");
    }

    [Fact]
    public async Task Put_SameObjectBySameManagerASecondLater_WritesNothing()
    {
        var ns = await _api.NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps/same";
        await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps?fieldManager=ctrl", ApiClient.ConfigMap("same", data: new JsonObject { ["k"] = "v" }));
        var changed = await _api.PutAsync(path + "?fieldManager=ctrl", WithData((await _api.GetAsync(path)).Object, "v2"));
        // managedFields times have second granularity: the same write again lands in a later second.
        await Task.Delay(TimeSpan.FromSeconds(1.1));

        var again = await _api.PutAsync(path + "?fieldManager=ctrl", WithData((await _api.GetAsync(path)).Object, "v2"));
        var statusAgain = await _api.PutAsync(Widgets.Item(ns, "w") + "/status?fieldManager=ctrl", (await WidgetWithStatusAsync(ns)).Object);

        changed.Status.Should().Be(HttpStatusCode.OK, changed.Body?.ToJsonString());
        again.Status.Should().Be(HttpStatusCode.OK);
        again.Str("metadata.resourceVersion").Should().Be(changed.Str("metadata.resourceVersion"), "a write that changes nothing is not stored again");
        again.Object["metadata"]!["managedFields"]!.ToJsonString().Should().Be(changed.Object["metadata"]!["managedFields"]!.ToJsonString());
        statusAgain.Status.Should().Be(HttpStatusCode.OK, statusAgain.Body?.ToJsonString());
        statusAgain.Str("metadata.resourceVersion").Should().Be((await _api.GetAsync(Widgets.Item(ns, "w"))).Str("metadata.resourceVersion"));

        static JsonObject WithData(JsonObject configMap, string value)
        {
            configMap["data"]!["k"] = value;
            return configMap;
        }
    }

    /// <summary>A widget whose status the manager "ctrl" has written once, a second ago.</summary>
    private async Task<ApiResponse> WidgetWithStatusAsync(string ns)
    {
        var created = (await _api.PostAsync(Widgets.Collection(ns), Widgets.New("w"))).Object;
        created["status"] = new JsonObject { ["replicas"] = 2 };
        await _api.PutAsync(Widgets.Item(ns, "w") + "/status?fieldManager=ctrl", created);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        return await _api.GetAsync(Widgets.Item(ns, "w"));
    }

    private static IEnumerable<string> Images(ApiResponse deployment) =>
        deployment.Object["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["image"]!.GetValue<string>());

    [Fact]
    public async Task Discovery_CustomResource_IsServedWithSubresourcesAndShortNames()
    {
        var groups = await _api.GetAsync("/apis");
        var resources = await _api.GetAsync("/apis/test.recoperator.io/v1");

        groups.Object["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).Should().Contain(["apps", "apiextensions.k8s.io", "test.recoperator.io"]);
        var names = resources.Object["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        names.Should().Contain(["widgets", "widgets/status", "widgets/scale"]);
        resources.Object["resources"]![0]!["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("wd");
    }

    [Fact]
    public async Task DeleteCrd_WithCustomResources_StopsServingAndRemovesThem()
    {
        var ns = await _api.NewNamespaceAsync();
        var crd = JsonNode.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gadgets.tmp.recoperator.io"},
             "spec":{"group":"tmp.recoperator.io","scope":"Namespaced","names":{"plural":"gadgets","kind":"Gadget"},
              "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
            """)!;
        var created = await _api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        var gadget = await _api.PostAsync($"/apis/tmp.recoperator.io/v1/namespaces/{ns}/gadgets",
            JsonNode.Parse("""{"apiVersion":"tmp.recoperator.io/v1","kind":"Gadget","metadata":{"name":"g"},"anything":{"goes":true}}""")!);

        var deleting = await _api.DeleteAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.tmp.recoperator.io");
        var crdGone = await Eventually.TrueAsync(async () =>
            (await _api.GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.tmp.recoperator.io")).Status == HttpStatusCode.NotFound);
        // Discovery follows the stored CRD a moment later (the registry syncs after the commit), as kube-apiserver's does.
        var discoveryGone = await Eventually.TrueAsync(async () => (await _api.GetAsync("/apis/tmp.recoperator.io/v1")).Status == HttpStatusCode.NotFound);
        await _api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);

        deleting.Status.Should().Be(HttpStatusCode.OK, "the cleanup finalizer holds the CRD until its resources are gone, and the answer is the marked CRD");
        deleting.Str("metadata.deletionTimestamp").Should().NotBeNull();
        crdGone.Should().BeTrue();
        discoveryGone.Should().BeTrue();
        created.Object["status"]!["conditions"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()).Should().Contain("Established");
        gadget.Status.Should().Be(HttpStatusCode.Created);
        gadget.Object["anything"]!["goes"]!.GetValue<bool>().Should().BeTrue();
        (await _api.GetAsync("/apis/tmp.recoperator.io/v1")).Status.Should().Be(HttpStatusCode.OK, "the re-created CRD is served again");
        (await _api.GetAsync($"/apis/tmp.recoperator.io/v1/namespaces/{ns}/gadgets/g")).Status.Should().Be(HttpStatusCode.NotFound, "the re-created CRD serves none of the old objects");
    }

    [Fact]
    public async Task Create_InvalidCrd_Returns422()
    {
        var crd = JsonNode.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"wrong.name.io"},
             "spec":{"group":"x.io","scope":"Everywhere","names":{"plural":"things","kind":"Thing"},"versions":[]}}
            """)!;

        var result = await _api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);

        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        result.Object["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>())
            .Should().Contain(["spec.scope", "metadata.name", "spec.versions"]);
    }

    [Fact]
    public async Task List_AsTable_ReturnsPrinterColumnsAndCells()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("t", size: "medium", replicas: 3));

        var table = await _api.GetAsync(Widgets.Collection(ns), "application/json;as=Table;v=v1;g=meta.k8s.io");

        table.Str("kind").Should().Be("Table");
        table.Object["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Should().Equal("Name", "Size", "Replicas", "Ready", "Age");
        var cells = table.Object["rows"]![0]!["cells"]!.AsArray();
        cells[0]!.GetValue<string>().Should().Be("t");
        cells[1]!.GetValue<string>().Should().Be("medium");
        cells[2]!.ToJsonString().Should().Be("3");
    }
}
