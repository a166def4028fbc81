using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.DevCluster.Hosting;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Leadership;
using RecOperator.Kube.Models;
using RecOperator.Kube.Yaml;
using RecOperator.Tests.Shared;

namespace RecOperator.DevCluster.Tests.KubeClient;

/// <summary>
/// The project's Kubernetes client against the project's API server, over HTTPS with the kubeconfig DevCluster
/// writes: typed CRUD and conflicts, paging, custom resources with server-side defaults and validation, server-side
/// apply ownership, watch expiry, and leader election on a Lease.
/// </summary>
public sealed class KubeClientOnDevClusterTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("devcluster-client-").FullName;
    private DevClusterServer _server = null!;
    private KubeApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = _dataDir, HistoryWindow = 50 }, CancellationToken.None);
        _client = new KubeApiClient(KubeConfigLoader.Load(_server.KubeconfigPath!), new KubeApiClientOptions { AdditionalTypes = CrdsJsonContext.Default });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Update_StaleResourceVersion_ConflictsThenSucceedsAfterFreshRead()
    {
        var configMaps = _client.For<V1ConfigMap>();
        var created = await configMaps.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");
        await configMaps.UpdateAsync(created with { Data = new Dictionary<string, string> { ["a"] = "2" } });

        var stale = () => configMaps.UpdateAsync(created with { Data = new Dictionary<string, string> { ["a"] = "3" } });
        await stale.Should().ThrowAsync<KubeConflictException>();

        var fresh = await configMaps.GetAsync("cm", "default");
        var updated = await configMaps.UpdateAsync(fresh with { Data = new Dictionary<string, string> { ["a"] = "3" } });
        updated.Data!["a"].Should().Be("3");
        long.Parse(updated.Metadata!.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeGreaterThan(long.Parse(created.Metadata!.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ListAllAsync_SmallPages_ReturnsEveryMatchingObjectOnce()
    {
        var configMaps = _client.For<V1ConfigMap>();
        for (var i = 0; i < 7; i++)
        {
            var labels = new Dictionary<string, string> { ["tier"] = i % 2 == 0 ? "even" : "odd" };
            await configMaps.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"page-{i}", Labels = labels } }, "default");
        }

        var names = new List<string>();
        await foreach (var cm in configMaps.ListAllAsync("default", new ListOptions { Limit = 2, LabelSelector = "tier=even" }))
        {
            names.Add(cm.Metadata!.Name!);
        }

        names.Should().BeEquivalentTo(["page-0", "page-2", "page-4", "page-6"]);
    }

    [Fact]
    public async Task PatchAsync_JsonPatch_AppliesEveryOperationAndFailedTestLeavesObjectUnchanged()
    {
        var configMaps = _client.For<V1ConfigMap>();
        var created = await configMaps.CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "patched", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        }, "default");

        var patched = await configMaps.PatchAsync("patched", KubePatch.Json(new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/data/a", ["value"] = "1" },
            new JsonObject { ["op"] = "replace", ["path"] = "/data/a", ["value"] = "10" },
            new JsonObject { ["op"] = "remove", ["path"] = "/data/b" },
            new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels/tier", ["value"] = "frontend" })), "default");

        patched.Data.Should().Equal(new Dictionary<string, string> { ["a"] = "10" });
        patched.Metadata!.Labels.Should().Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "frontend" });
        patched.Metadata.ResourceVersion.Should().NotBe(created.Metadata!.ResourceVersion);
        (await configMaps.GetAsync("patched", "default")).Data.Should().Equal(patched.Data, "the patch was stored, not only echoed");

        var guarded = () => configMaps.PatchAsync("patched", KubePatch.Json(new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/data/a", ["value"] = "1" },
            new JsonObject { ["op"] = "replace", ["path"] = "/data/a", ["value"] = "lost update" })), "default");
        await guarded.Should().ThrowAsync<KubeInvalidException>();
        var after = await configMaps.GetAsync("patched", "default");
        after.Data!["a"].Should().Be("10", "a failed test operation applies none of the patch");
        after.Metadata!.ResourceVersion.Should().Be(patched.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task RecModel_AppliedCrd_ServerDefaultsAndRejectsInvalidSpecs()
    {
        await ApplyCrdsAsync();
        var models = _client.For<RecModel>();
        // Sent as plain JSON without the defaulted fields, so what comes back shows the server applied the defaults.
        var minimal = JsonNode.Parse(MinimalJson("defaults"))!.AsObject();
        await _client.Unstructured(RecModel.Descriptor).CreateAsync(minimal, "default");

        var created = await models.GetAsync("defaults", "default");

        created.Spec.Batching.MaxBatchSize.Should().Be(new BatchingSpec().MaxBatchSize);
        created.Spec.Variants[0].Replicas.Max.Should().Be(new ReplicaBounds().Max);
        created.Metadata!.Generation.Should().Be(1);

        var invalid = MinimalModel("invalid");
        invalid = invalid with { Spec = invalid.Spec with { Variants = [invalid.Spec.Variants[0] with { Replicas = new ReplicaBounds { Min = 3, Max = 2 } }] } };
        var create = () => models.CreateAsync(invalid, "default");
        (await create.Should().ThrowAsync<KubeInvalidException>()).Which.Causes
            .Should().Contain(c => c.Message != null && c.Message.Contains("min must be <= max", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecModel_AppliedCrd_RejectsARepeatedPoolAndMoreMinimumReplicasThanTheMaximumsAllow()
    {
        await ApplyCrdsAsync();
        var models = _client.For<RecModel>();
        var model = MinimalModel("rules");
        var repeatedPool = model with { Spec = model.Spec with { Variants = [model.Spec.Variants[0] with { NodePools = ["p", "q", "p"] }] } };
        var tooManyMinimum = model with
        {
            Spec = model.Spec with
            {
                Variants = [model.Spec.Variants[0] with { Replicas = new ReplicaBounds { Min = 0, Max = 2 } }],
                Autoscaling = model.Spec.Autoscaling with { MinTotalReplicas = 3 },
            },
        };

        var repeated = () => models.CreateAsync(repeatedPool, "default");
        var minimum = () => models.CreateAsync(tooManyMinimum, "default");

        // The set rule and the CEL rule over the variants' maximums (list sum()), as a real API server enforces them.
        (await repeated.Should().ThrowAsync<KubeInvalidException>()).Which.Causes
            .Should().Contain(c => c.Field == "spec.variants[0].nodePools[2]" && c.Message == "Duplicate value: \"p\"");
        (await minimum.Should().ThrowAsync<KubeInvalidException>()).Which.Causes
            .Should().Contain(c => c.Message != null && c.Message.Contains("minTotalReplicas", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecModel_AppliedCrd_TakesACaBundleOnHttpsAndRejectsItOnAFileOrWithoutItsKey()
    {
        await ApplyCrdsAsync();
        var models = _client.For<RecModel>();
        var model = MinimalModel("ca");
        var bundle = new CaBundleSpec { ConfigMapKeyRef = new ConfigMapKeyReference { Name = "model-store-ca", Key = "ca.crt" } };
        RecModel WithArtifact(string name, ArtifactSpec artifact) =>
            model with { Metadata = model.Metadata! with { Name = name }, Spec = model.Spec with { Variants = [model.Spec.Variants[0] with { Artifact = artifact }] } };

        var created = await models.CreateAsync(WithArtifact("ca-https", new ArtifactSpec { Uri = "https://models.internal.example/m.onnx", CaBundle = bundle }), "default");
        var onFile = () => models.CreateAsync(WithArtifact("ca-file", new ArtifactSpec { Uri = "file:///m.onnx", CaBundle = bundle }), "default");
        var withoutKey = JsonNode.Parse(MinimalJson("ca-nokey").Replace(
            "\"uri\":\"file:///m.onnx\"", "\"uri\":\"https://m.example/m.onnx\",\"caBundle\":{\"configMapKeyRef\":{\"name\":\"model-store-ca\"}}", StringComparison.Ordinal))!.AsObject();
        var noKey = () => _client.Unstructured(RecModel.Descriptor).CreateAsync(withoutKey, "default");

        created.Spec.Variants[0].Artifact.CaBundle.Should().Be(bundle);
        // The CEL rule on the artifact, reported on the caBundle field as the CRD's fieldPath says.
        (await onFile.Should().ThrowAsync<KubeInvalidException>()).Which.Causes
            .Should().Contain(c => c.Field == "spec.variants[0].artifact.caBundle" && c.Message != null && c.Message.Contains("caBundle needs an artifact fetched over TLS", StringComparison.Ordinal));
        (await noKey.Should().ThrowAsync<KubeInvalidException>()).Which.Causes
            .Should().Contain(c => c.Field == "spec.variants[0].artifact.caBundle.configMapKeyRef.key");
    }

    [Fact]
    public async Task RecModel_AppliedCrd_TakesACredentialsSecretOnS3AndGsAndRejectsItElsewhere()
    {
        await ApplyCrdsAsync();
        var models = _client.For<RecModel>();
        var model = MinimalModel("credentials");
        RecModel WithArtifact(string name, string uri) => model with
        {
            Metadata = model.Metadata! with { Name = name },
            Spec = model.Spec with { Variants = [model.Spec.Variants[0] with { Artifact = new ArtifactSpec { Uri = uri, CredentialsSecret = "model-store" } }] },
        };

        var onS3 = await models.CreateAsync(WithArtifact("credentials-s3", "s3://models/m.onnx"), "default");
        var onGs = await models.CreateAsync(WithArtifact("credentials-gs", "gs://models/m.onnx"), "default");
        var onHttps = () => models.CreateAsync(WithArtifact("credentials-https", "https://models.example.com/m.onnx"), "default");

        onS3.Spec.Variants[0].Artifact.CredentialsSecret.Should().Be("model-store");
        onGs.Spec.Variants[0].Artifact.CredentialsSecret.Should().Be("model-store");
        // The CEL rule on the artifact, reported on the credentialsSecret field as the CRD's fieldPath says.
        (await onHttps.Should().ThrowAsync<KubeInvalidException>()).Which.Causes.Should().Contain(c => c.Field == "spec.variants[0].artifact.credentialsSecret"
            && c.Message != null && c.Message.Contains("credentialsSecret needs an artifact in a bucket store", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecModel_AppliedCrd_TakesACaBundleFromASecretAndRejectsBothSourcesOrNeither()
    {
        await ApplyCrdsAsync();
        var models = _client.For<RecModel>();
        var model = MinimalModel("ca-secret");
        var fromSecret = new CaBundleSpec { SecretKeyRef = new SecretKeyReference { Name = "model-store-tls", Key = "ca.crt" } };
        var both = fromSecret with { ConfigMapKeyRef = new ConfigMapKeyReference { Name = "model-store-ca", Key = "ca.crt" } };
        RecModel WithBundle(string name, CaBundleSpec bundle) => model with
        {
            Metadata = model.Metadata! with { Name = name },
            Spec = model.Spec with { Variants = [model.Spec.Variants[0] with { Artifact = new ArtifactSpec { Uri = "s3://models/m.onnx", CaBundle = bundle } }] },
        };

        var created = await models.CreateAsync(WithBundle("ca-secret", fromSecret), "default");
        var withBoth = () => models.CreateAsync(WithBundle("ca-both", both), "default");
        var withNeither = () => models.CreateAsync(WithBundle("ca-neither", new CaBundleSpec()), "default");

        created.Spec.Variants[0].Artifact.CaBundle.Should().Be(fromSecret);
        // The CEL rule on caBundle itself, so the API server names the caBundle field.
        foreach (var create in new[] { withBoth, withNeither })
        {
            (await create.Should().ThrowAsync<KubeInvalidException>()).Which.Causes.Should().Contain(c => c.Field == "spec.variants[0].artifact.caBundle"
                && c.Message != null && c.Message.Contains(CaBundleSpec.OneSourceMessage, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ServerSideApply_SecondManagerOnSameField_ConflictsUnlessForced()
    {
        await ApplyCrdsAsync();
        var models = _client.For<RecModel>();
        var intent = JsonNode.Parse(MinimalJson("owned"))!;
        await models.PatchAsync("owned", KubePatch.Apply(intent, "recoperator"), "default");

        var other = intent.DeepClone();
        other["spec"]!["slo"]!["p99LatencyMs"] = 40;
        var steal = () => models.PatchAsync("owned", KubePatch.Apply(other, "someone-else"), "default");
        await steal.Should().ThrowAsync<KubeConflictException>();

        var forced = await models.PatchAsync("owned", KubePatch.Apply(other, "someone-else", force: true), "default");
        forced.Spec.Slo.P99LatencyMs.Should().Be(40);
    }

    [Fact]
    public async Task WatchAsync_ResourceVersionOlderThanHistory_IsGone()
    {
        var configMaps = _client.For<V1ConfigMap>();
        var first = await configMaps.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "old" } }, "default");
        for (var i = 0; i < 60; i++)
        {
            await configMaps.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"churn-{i}" } }, "default");
        }

        var watch = async () =>
        {
            await foreach (var _ in configMaps.WatchAsync("default", new ListOptions { ResourceVersion = first.Metadata!.ResourceVersion }))
            {
            }
        };

        await watch.Should().ThrowAsync<KubeGoneException>();
    }

    [Fact]
    public async Task LeaderElector_LeaderStops_OtherLeadsWithinOneLeaseDuration()
    {
        var leaseDuration = TimeSpan.FromSeconds(3);
        LeaderElectionOptions Options(string id) => new()
        {
            LeaseName = "recoperator", LeaseNamespace = "default", Identity = id,
            LeaseDuration = leaseDuration, RenewDeadline = TimeSpan.FromSeconds(2), RetryPeriod = TimeSpan.FromMilliseconds(250),
        };
        using var firstStop = new CancellationTokenSource();
        using var secondStop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var firstLeads = new TaskCompletionSource();
        var secondLeads = new TaskCompletionSource();
        var first = new LeaderElector(_client, Options("a"), NullLogger.Instance);
        var second = new LeaderElector(_client, Options("b"), NullLogger.Instance);

        var firstRun = first.RunAsync(ct => { firstLeads.TrySetResult(); return Task.Delay(Timeout.Infinite, ct); }, firstStop.Token);
        await firstLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var secondRun = second.RunAsync(ct => { secondLeads.TrySetResult(); return Task.Delay(Timeout.Infinite, ct); }, secondStop.Token);
        await Task.Delay(TimeSpan.FromSeconds(1));
        secondLeads.Task.IsCompleted.Should().BeFalse("only one instance leads while the first renews");

        var stoppedAt = DateTime.UtcNow;
        await firstStop.CancelAsync();
        await secondLeads.Task.WaitAsync(TimeSpan.FromSeconds(15));

        (DateTime.UtcNow - stoppedAt).Should().BeLessThan(leaseDuration + TimeSpan.FromSeconds(2));
        await secondStop.CancelAsync();
        await Task.WhenAll(firstRun.ContinueWith(_ => { }, TaskScheduler.Default), secondRun.ContinueWith(_ => { }, TaskScheduler.Default));
    }

    private async Task ApplyCrdsAsync()
    {
        var crds = _client.For<V1CustomResourceDefinition>();
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("manifests", "crds"), "*.yaml"))
        {
            var intent = YamlDocuments.Parse(await File.ReadAllTextAsync(file)).Single();
            await crds.PatchAsync((string)intent["metadata"]!["name"]!, KubePatch.Apply(intent, "test", force: true));
        }
    }

    private static string MinimalJson(string name) => $$$"""
        {"apiVersion":"serving.recoperator.io/v1alpha1","kind":"RecModel","metadata":{"name":"{{{name}}}","namespace":"default"},
         "spec":{"slo":{"p99LatencyMs":25},"variants":[{"name":"cpu","hardware":"Cpu","artifact":{"uri":"file:///m.onnx"},"nodePools":["p"]}]}}
        """;

    private static RecModel MinimalModel(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Namespace = "default" },
        Spec = new RecModelSpec
        {
            Slo = new SloSpec { P99LatencyMs = 25 },
            Variants = [new VariantSpec { Name = "cpu", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = ["p"] }],
        },
    };
}
