using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>kubectl v1.32, the reference client, against the control plane through the kubeconfig it wrote.</summary>
public sealed class KubectlTests : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _fixture;

    public KubectlTests(ClusterFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Explain_BuiltInKindAndCustomResourceMetadata_PrintTheirFieldsFromOpenApiV3()
    {
        var replicas = await RunAsync("explain", "deployment.spec.replicas");
        var containers = await RunAsync("explain", "pods.spec.containers.image");
        var widgetName = await RunAsync("explain", "widgets.metadata.name");

        replicas.ExitCode.Should().Be(0, replicas.ToString());
        replicas.Stdout.Should().Contain("GROUP:      apps").And.Contain("KIND:       Deployment").And.Contain("FIELD: replicas <integer>")
            .And.Contain("Number of desired pods.");
        containers.Stdout.Should().Contain("FIELD: image <string>").And.Contain("Container image name.");
        widgetName.ExitCode.Should().Be(0, widgetName.ToString());
        widgetName.Stdout.Should().Contain("KIND:       Widget").And.Contain("FIELD: name <string>").And.Contain("Name must be unique within a namespace.");
    }

    [Fact]
    public async Task ApplyGetDescribe_MultiDocumentSamples_PrintPrinterColumns()
    {
        var ns = await NewNamespaceAsync();

        var apply = await RunAsync("apply", "-n", ns, "-f", Kubectl.Asset("widgets.yaml"));
        var table = await RunAsync("get", "widgets", "-n", ns);
        var wide = await RunAsync("get", "wd", "-n", ns, "-o", "wide", "--show-labels");
        var yaml = await RunAsync("get", "widget", "alpha", "-n", ns, "-o", "yaml");
        var json = await RunAsync("get", "widget", "beta", "-n", ns, "-o", "jsonpath={.spec.replicas}");
        var describe = await RunAsync("describe", "widget", "beta", "-n", ns);
        var one = JsonNode.Parse((await RunAsync("get", "widget", "beta", "-n", ns, "-o", "json")).Stdout)!;
        var all = JsonNode.Parse((await RunAsync("get", "widgets", "-n", ns, "-o", "json")).Stdout)!;
        var again = await RunAsync("apply", "-n", ns, "-f", Kubectl.Asset("widgets.yaml"));

        apply.Stdout.Should().Contain("widget.test.recoperator.io/alpha created").And.Contain("widget.test.recoperator.io/beta created");
        table.Stdout.Should().MatchRegex("NAME\\s+SIZE\\s+REPLICAS\\s+READY\\s+AGE");
        table.Stdout.Should().MatchRegex("alpha\\s+small\\s+1\\s");
        wide.Stdout.Should().Contain("tier=back");
        yaml.Stdout.Should().Contain("kubectl.kubernetes.io/last-applied-configuration").And.Contain("size: small");
        json.Stdout.Should().Be("3");
        describe.Stdout.Should().Contain("Name:         beta").And.Contain("Size:      large");
        (one["kind"]!.GetValue<string>(), one["apiVersion"]!.GetValue<string>(), one["spec"]!["replicas"]!.GetValue<int>()).Should().Be(("Widget", "test.recoperator.io/v1", 3));
        one["metadata"]!["uid"]!.GetValue<string>().Should().NotBeEmpty();
        all["kind"]!.GetValue<string>().Should().Be("List");
        all["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Should().Equal("alpha", "beta");
        all["items"]!.AsArray().Should().OnlyContain(i => i!["kind"]!.GetValue<string>() == "Widget");
        again.Stdout.Should().Contain("alpha unchanged");
    }

    [Fact]
    public async Task PatchLabelScale_CustomResource_ChangesAreVisible()
    {
        var ns = await NewNamespaceAsync();
        await RunAsync("apply", "-n", ns, "-f", Kubectl.Asset("widgets.yaml"));

        await RunAsync("patch", "widget", "alpha", "-n", ns, "--type", "merge", "-p", """{"spec":{"size":"large"}}""");
        await RunAsync("patch", "widget", "alpha", "-n", ns, "--type", "json", "-p", """[{"op":"add","path":"/spec/owner","value":"ops"}]""");
        await RunAsync("label", "widget", "alpha", "-n", ns, "env=prod");
        await RunAsync("scale", "widget", "alpha", "-n", ns, "--replicas=6");
        var result = await RunAsync("get", "widget", "alpha", "-n", ns, "-o", "jsonpath={.spec.size} {.spec.owner} {.metadata.labels.env} {.spec.replicas}");
        var invalid = await _fixture.RunKubectlAsync(["patch", "widget", "alpha", "-n", ns, "--type", "merge", "-p", """{"spec":{"size":"huge"}}"""]);

        result.Stdout.Should().Be("large ops prod 6");
        invalid.ExitCode.Should().NotBe(0);
        invalid.Stderr.Should().Contain("spec.size: Unsupported value: \"huge\"");
    }

    [Fact]
    public async Task Apply_DeploymentWithMisspeltAndMistypedFields_StrictByDefaultWarnsWhenAsked()
    {
        var ns = await NewNamespaceAsync();
        const string misspelt = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replica: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: c, image: i, resources: {limits: {cpu: 0.5}}}]
            """;

        // kubectl validates strictly by default: it sends fieldValidation=Strict, which it finds in the served OpenAPI.
        var strict = await _fixture.RunKubectlAsync(["apply", "-n", ns, "-f", "-"], misspelt);
        var warned = await RunAsync(["apply", "-n", ns, "--validate=warn", "-f", "-"], misspelt);
        var stored = await RunAsync("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].resources.limits.cpu}");
        var mistyped = await _fixture.RunKubectlAsync(["apply", "-n", ns, "-f", "-"], misspelt.Replace("replica: 3", "replicas: three", StringComparison.Ordinal));

        strict.ExitCode.Should().NotBe(0);
        strict.Stderr.Should().Contain("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\"");
        warned.Stderr.Should().Contain("Warning: unknown field \"spec.replica\"");
        stored.Stdout.Should().Be("1 500m");
        mistyped.ExitCode.Should().NotBe(0);
        mistyped.Stderr.Should().Contain("spec.replicas must be an integer (int32), not \"three\"");
    }

    [Fact]
    public async Task Apply_KindList_ItemsValidatedAgainstTheProtobufOpenApiV2AndCreated()
    {
        var ns = await NewNamespaceAsync();
        const string list = """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: first}, data: {a: "1"}}
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: second}, data: {b: "2"}}
            """;

        // A List has no operations in OpenAPI v3, so kubectl validates its items itself, against /openapi/v2 in protobuf:
        // served as JSON, it failed with "proto: cannot parse invalid wire-format data".
        var applied = await RunAsync(["apply", "-n", ns, "-f", "-"], list);
        var names = await RunAsync("get", "configmaps", "first", "second", "-n", ns, "-o", "jsonpath={.items[*].metadata.name}");
        var invalid = await _fixture.RunKubectlAsync(["apply", "-n", ns, "-f", "-"], list.Replace("data: {b: \"2\"}", "spec: {b: 2}", StringComparison.Ordinal));

        applied.Stdout.Should().Contain("configmap/first created").And.Contain("configmap/second created");
        names.Stdout.Should().Be("first second");
        invalid.ExitCode.Should().NotBe(0);
        invalid.Stderr.Should().Contain("ValidationError(ConfigMap): unknown field \"spec\" in io.k8s.api.core.v1.ConfigMap");
    }

    [Fact]
    public async Task Explain_OpenApiV2Output_ReadsTheFieldFromTheProtobufDocument()
    {
        var replicas = await RunAsync("explain", "deployment.spec.replicas", "--output=plaintext-openapiv2");

        replicas.Stdout.Should().Contain("KIND:     Deployment").And.Contain("FIELD:    replicas <integer>").And.Contain("Number of desired pods.");
    }

    [Fact]
    public async Task ApplyServerSide_ThenConflictingScale_ReportsConflictUnlessForced()
    {
        var ns = await NewNamespaceAsync();
        var first = await RunAsync("apply", "--server-side", "-n", ns, "-f", Kubectl.Asset("widgets.yaml"));
        await RunAsync("scale", "widget", "beta", "-n", ns, "--replicas=9");

        var conflict = await _fixture.RunKubectlAsync(["apply", "--server-side", "-n", ns, "-f", Kubectl.Asset("widgets.yaml")]);
        var forced = await RunAsync("apply", "--server-side", "--force-conflicts", "-n", ns, "-f", Kubectl.Asset("widgets.yaml"));
        var replicas = await RunAsync("get", "widget", "beta", "-n", ns, "-o", "jsonpath={.spec.replicas}");

        first.Stdout.Should().Contain("serverside-applied");
        conflict.ExitCode.Should().NotBe(0);
        conflict.Stderr.Should().Contain("conflict with").And.Contain(".spec.replicas");
        forced.Stdout.Should().Contain("serverside-applied");
        replicas.Stdout.Should().Be("3");
    }

    [Fact]
    public async Task Apply_FinalizerAndContainerDroppedFromTheFile_RemovedFromTheObject()
    {
        // Client-side apply sends what was dropped as strategic merge directives: $deleteFromPrimitiveList for the
        // finalizer, $patch: delete for the container, $setElementOrder for the order of what is left.
        var ns = await NewNamespaceAsync();
        static string Manifest(string finalizers, string containers) => $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: fin
              finalizers: [{finalizers}]
            spec:
              replicas: 0
              selector:
                matchLabels:
                  app: fin
              template:
                metadata:
                  labels:
                    app: fin
                spec:
                  containers: [{containers}]
            """;

        var first = await RunAsync(["apply", "-n", ns, "-f", "-"], Manifest("a.io/x, b.io/y", "{name: main, image: nginx}, {name: side, image: busybox}"));
        var second = await RunAsync(["apply", "-n", ns, "-f", "-"], Manifest("b.io/y", "{name: side, image: busybox}, {name: main, image: nginx}"));
        var third = await RunAsync(["apply", "-n", ns, "-f", "-"], Manifest("", "{name: main, image: nginx}"));
        var left = await RunAsync("get", "deployment", "fin", "-n", ns, "-o", "jsonpath={.metadata.finalizers} {.spec.template.spec.containers[*].name}");

        first.Stdout.Should().Contain("created");
        second.Stdout.Should().Contain("configured");
        third.Stdout.Should().Contain("configured");
        left.Stdout.Should().Be(" main", "the last file has no finalizer and one container");
        await RunAsync("delete", "deployment", "fin", "-n", ns, "--wait=false");
    }

    [Fact]
    public async Task Apply_ReorderedContainers_StoredInTheFilesOrder()
    {
        var ns = await NewNamespaceAsync();
        static string Manifest(string containers) => $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: order
            spec:
              replicas: 0
              selector:
                matchLabels:
                  app: order
              template:
                metadata:
                  labels:
                    app: order
                spec:
                  containers: [{containers}]
            """;

        await RunAsync(["apply", "-n", ns, "-f", "-"], Manifest("{name: a, image: nginx}, {name: b, image: busybox}"));
        await RunAsync(["apply", "-n", ns, "-f", "-"], Manifest("{name: b, image: busybox}, {name: a, image: nginx}"));
        var names = await RunAsync("get", "deployment", "order", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[*].name}");

        names.Stdout.Should().Be("b a");
    }

    [Fact]
    public async Task WaitAndRolloutStatus_ConditionsWrittenThroughStatus_Complete()
    {
        var ns = await NewNamespaceAsync();
        await RunAsync("apply", "-n", ns, "-f", Kubectl.Asset("deployment.yaml"));
        await RunAsync("apply", "-n", ns, "-f", Kubectl.Asset("widgets.yaml"));

        var waiting = _fixture.RunKubectlAsync(["wait", "-n", ns, "--for=condition=Ready", "widget/alpha", "--timeout=20s"]);
        var rollout = _fixture.RunKubectlAsync(["rollout", "status", "-n", ns, "deployment/web", "--timeout=20s"]);
        await Task.Delay(500);
        await RunAsync("patch", "widget", "alpha", "-n", ns, "--subresource=status", "--type", "merge", "-p",
            """{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Test"}]}}""");
        await RunAsync("patch", "deployment", "web", "-n", ns, "--subresource=status", "--type", "merge", "-p",
            """{"status":{"observedGeneration":1,"replicas":2,"updatedReplicas":2,"readyReplicas":2,"availableReplicas":2}}""");

        var waited = await waiting;
        var rolled = await rollout;
        var deployments = await RunAsync("get", "deployments", "-n", ns);

        waited.ExitCode.Should().Be(0, waited.ToString());
        waited.Stdout.Should().Contain("condition met");
        rolled.ExitCode.Should().Be(0, rolled.ToString());
        rolled.Stdout.Should().Contain("successfully rolled out");
        deployments.Stdout.Should().MatchRegex("web\\s+2/2\\s+2\\s+2");
    }

    [Fact]
    public async Task DeleteCascadeAndCreateNamespace_RemoveDependentsAndServeNewNamespace()
    {
        var ns = "kubectl-" + Guid.NewGuid().ToString("N")[..8];
        var created = await RunAsync("create", "namespace", ns);
        await RunAsync("apply", "-n", ns, "-f", Kubectl.Asset("widgets.yaml"));
        var uid = (await RunAsync("get", "widget", "alpha", "-n", ns, "-o", "jsonpath={.metadata.uid}")).Stdout;
        var child = $$$"""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"child","ownerReferences":[
              {"apiVersion":"test.recoperator.io/v1","kind":"Widget","name":"alpha","uid":"{{{uid}}}"}]},"data":{"k":"v"}}
            """;
        await RunAsync(["apply", "-n", ns, "-f", "-"], child);

        var deleted = await RunAsync("delete", "widget", "alpha", "-n", ns, "--cascade=foreground");
        var gone = await Eventually.TrueAsync(async () =>
            (await _fixture.RunKubectlAsync(["get", "configmap", "child", "-n", ns])).Stderr.Contains("NotFound", StringComparison.Ordinal));
        var namespaces = await RunAsync("get", "namespaces");

        created.Stdout.Should().Contain($"namespace/{ns} created");
        deleted.Stdout.Should().Contain("widget.test.recoperator.io \"alpha\" deleted");
        gone.Should().BeTrue();
        namespaces.Stdout.Should().MatchRegex($"{ns}\\s+Active");
    }

    [Fact]
    public async Task CreateConfigMapAndSecret_TypedProtobufRequests_AreStored()
    {
        var ns = await NewNamespaceAsync();

        await RunAsync("create", "configmap", "cfg", "-n", ns, "--from-literal=a=b", "--from-literal=c=d");
        await RunAsync("create", "secret", "generic", "sec", "-n", ns, "--from-literal=pw=hunter2");
        var data = await RunAsync("get", "configmap", "cfg", "-n", ns, "-o", "jsonpath={.data.a}{.data.c}");
        var secret = await RunAsync("get", "secret", "sec", "-n", ns, "-o", "jsonpath={.data.pw} {.type}");

        data.Stdout.Should().Be("bd");
        secret.Stdout.Should().Be($"{Convert.ToBase64String("hunter2"u8.ToArray())} Opaque");
    }

    [Fact]
    public async Task GetWatch_ChangeWhileWatching_PrintsNewRow()
    {
        var ns = await NewNamespaceAsync();
        await RunAsync("apply", "-n", ns, "-f", Kubectl.Asset("widgets.yaml"));

        // kubectl lists, then watches from the list's resourceVersion; the pause lets it list before the change
        // even on a loaded machine (the request timeout ends the watch).
        var watching = _fixture.RunKubectlAsync(["get", "widgets", "-n", ns, "-w", "--request-timeout=8s"], timeoutSeconds: 30);
        await Task.Delay(3000);
        await RunAsync("patch", "widget", "beta", "-n", ns, "--type", "merge", "-p", """{"spec":{"replicas":42}}""");
        var output = await watching;

        output.Stdout.Should().MatchRegex("beta\\s+large\\s+3\\s").And.MatchRegex("beta\\s+large\\s+42\\s");
    }

    [Fact]
    public async Task Describe_ObjectsWithEventsK8sIoEvents_ShowThemInTheirEventsSection()
    {
        var ns = await NewNamespaceAsync();
        await RunAsync("apply", "-n", ns, "-f", Kubectl.Asset("widgets.yaml"));
        var widget = (await _fixture.Api.GetAsync(Widgets.Item(ns, "beta"))).Object;
        var pod = (await _fixture.Api.PostAsync(BuiltInSamples.Collection("pods", ns), BuiltInSamples.Sample("pods", "p"))).Object;
        // As the operator's EventRecorder writes them: events.k8s.io/v1, no core fields, no source.
        await _fixture.Api.PostAsync($"/apis/events.k8s.io/v1/namespaces/{ns}/events", RecordedEvent("beta.1", widget, "ScaledUp", "scaled beta to 3 replicas"));
        await _fixture.Api.PostAsync($"/apis/events.k8s.io/v1/namespaces/{ns}/events", RecordedEvent("p.1", pod, "Placed", "placed p in pool cpu"));

        var describeWidget = await RunAsync("describe", "widget", "beta", "-n", ns);
        var describePod = await RunAsync("describe", "pod", "p", "-n", ns);
        var core = await RunAsync("get", "events", "-n", ns);
        var eventsV1 = await RunAsync("get", "events.events.k8s.io", "-n", ns);

        describeWidget.Stdout.Should().MatchRegex(@"Events:\s+Type\s+Reason\s+Age\s+From\s+Message")
            .And.MatchRegex(@"Normal\s+ScaledUp\s+\S+\s+serving\.recoperator\.io/operator\s+scaled beta to 3 replicas").And.NotContain("placed p");
        describePod.Stdout.Should().MatchRegex(@"Normal\s+Placed\s+\S+\s+serving\.recoperator\.io/operator\s+placed p in pool cpu").And.NotContain("scaled beta");
        // Both groups print as the real server's event printer does, from the core form: OBJECT is kind/name.
        foreach (var listed in new[] { core.Stdout, eventsV1.Stdout })
        {
            listed.Should().MatchRegex(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n")
                .And.MatchRegex(@"\n\d+s\s+Normal\s+ScaledUp\s+widget/beta\s+scaled beta to 3 replicas").And.MatchRegex(@"\n\d+s\s+Normal\s+Placed\s+pod/p\s+placed p in pool cpu");
        }
    }

    [Fact]
    public async Task Describe_PodWithGrpcAndHttpProbesAsTheOperatorWritesThem_PrintsThemWithoutPanicking()
    {
        var ns = await NewNamespaceAsync();
        var pod = BuiltInSamples.Sample("pods", "probed");
        pod["spec"] = JsonNode.Parse("""
            {"containers":[{"name":"recpod","image":"recop/pod:1",
              "livenessProbe":{"grpc":{"port":8081}},"readinessProbe":{"httpGet":{"port":8080}}}]}
            """);
        (await _fixture.Api.PostAsync(BuiltInSamples.Collection("pods", ns), pod)).Status.Should().Be(System.Net.HttpStatusCode.Created);

        // kubectl dereferences grpc.service, which the real server defaults to "": without it describe panicked.
        var describe = await RunAsync("describe", "pod", "probed", "-n", ns);

        describe.Stdout.Should().MatchRegex(@"Liveness:\s+grpc <pod>:8081 \S*\s*delay=0s").And.Contain("http-get http://:8080/");
    }

    private static JsonObject RecordedEvent(string name, JsonObject regarding, string reason, string note) => new()
    {
        ["apiVersion"] = "events.k8s.io/v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["eventTime"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["type"] = "Normal",
        ["reason"] = reason,
        ["action"] = "Reconcile",
        ["note"] = note,
        ["reportingController"] = "serving.recoperator.io/operator",
        ["reportingInstance"] = "operator-0",
        ["regarding"] = new JsonObject
        {
            ["apiVersion"] = regarding["apiVersion"]!.GetValue<string>(),
            ["kind"] = regarding["kind"]!.GetValue<string>(),
            ["name"] = regarding["metadata"]!["name"]!.GetValue<string>(),
            ["namespace"] = regarding["metadata"]!["namespace"]!.GetValue<string>(),
            ["uid"] = regarding["metadata"]!["uid"]!.GetValue<string>(),
        },
    };

    private async Task<string> NewNamespaceAsync() => await _fixture.Api.NewNamespaceAsync();

    private Task<Kubectl.Result> RunAsync(params string[] args) => RunAsync(args, null);

    private async Task<Kubectl.Result> RunAsync(string[] args, string? stdin)
    {
        var result = await _fixture.RunKubectlAsync(args, stdin);
        result.ExitCode.Should().Be(0, $"kubectl {string.Join(' ', args)} should succeed:\n{result}");
        return result;
    }
}
