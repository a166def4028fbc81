using System.Text.Json.Nodes;
using RecOperator.Crds.Generation;
using RecOperator.Crds.Models;
using RecOperator.Crds.Schema;
using RecOperator.Kube.Yaml;
using RecOperator.Tests.Shared;

namespace RecOperator.Crds.Tests;

/// <summary>The committed CRDs are what the types generate, and they are structural.</summary>
public sealed class CrdGenerationTests
{
    public static TheoryData<string> Kinds() => new(CustomResources.All.Select(i => i.Descriptor.Kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ToYaml_CommittedCrd_IsUpToDate(string kind)
    {
        var info = CustomResources.All.Single(i => i.Descriptor.Kind == kind);
        var committed = File.ReadAllText(RepoPaths.Combine("manifests", "crds", CrdGenerator.FileName(info)));

        CrdGenerator.ToYaml(info).Should().Be(committed, "manifests/crds must be regenerated with `./recop crds --out manifests/crds` after changing src/Crds");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CommittedCrd_Schema_IsStructural(string kind)
    {
        StructuralSchemaChecker.Check(SampleTests.CommittedSchemaFor(kind)).Should().BeEmpty();
    }

    [Fact]
    public void ToMarkdown_CommittedReference_IsUpToDate()
    {
        var committed = File.ReadAllText(RepoPaths.Combine("docs", "crd-reference.md"));

        CrdReferenceWriter.ToMarkdown(CustomResources.All).Should().Be(committed,
            "docs/crd-reference.md must be regenerated with `./recop crds --out manifests/crds --reference docs/crd-reference.md`");
    }

    [Fact]
    public void ToMarkdown_DocumentsDefaultsAndRules()
    {
        var markdown = CrdReferenceWriter.ToMarkdown(CustomResources.All);

        markdown.Should().Contain("| `spec.batching.maxBatchSize` | integer | `256` | >= 1; <= 65536 |");
        markdown.Should().Contain("| `spec.variants[].replicas` | object | `{}` | min must be <= max |");
    }

    [Fact]
    public void RecModelCrd_NamesScopeSubresourcesAndColumns_AreAsDesigned()
    {
        var crd = YamlDocuments.Parse(CrdGenerator.ToYaml(CustomResources.RecModel)).Single();
        var spec = crd["spec"]!;
        var version = spec["versions"]![0]!;

        ((string?)spec["group"]).Should().Be("serving.recoperator.io");
        ((string?)spec["scope"]).Should().Be("Namespaced");
        ((string?)spec["names"]!["plural"]).Should().Be("recmodels");
        spec["names"]!["shortNames"]!.AsArray().Select(n => (string?)n).Should().Equal("rm");
        spec["names"]!["categories"]!.AsArray().Select(n => (string?)n).Should().Equal("rec");
        ((string?)version["name"]).Should().Be("v1alpha1");
        version["subresources"]!["status"].Should().NotBeNull();
        version["additionalPrinterColumns"]!.AsArray().Select(c => (string?)c!["name"]).Should().Equal("Ready", "Replicas", "QPS", "P99", "Age");
    }

    [Fact]
    public void NodePoolCrd_IsClusterScopedWithItsColumns()
    {
        var spec = YamlDocuments.Parse(CrdGenerator.ToYaml(CustomResources.NodePool)).Single()["spec"]!;

        ((string?)spec["scope"]).Should().Be("Cluster");
        ((string?)spec["names"]!["shortNames"]![0]).Should().Be("np");
        var columns = spec["versions"]![0]!["additionalPrinterColumns"]!.AsArray();
        columns.Select(c => (string?)c!["name"]).Should().Equal("Hardware", "Cost", "Allocated", "Age", "Nodes", "Ready Nodes", "Allocatable");
        columns.Where(c => (long?)c!["priority"] == 1).Select(c => (string?)c!["name"]).Should().Equal(["Nodes", "Ready Nodes", "Allocatable"],
            "the node counts are `kubectl get nodepools -o wide` columns");
    }

    [Fact]
    public void ForResource_CrossFieldRules_BecomeCelValidations()
    {
        var schema = StructuralSchemaBuilder.ForResource(typeof(RecModel));
        var variant = schema["properties"]!["spec"]!["properties"]!["variants"]!["items"]!;
        var replicas = variant["properties"]!["replicas"]!;

        ((string?)replicas["x-kubernetes-validations"]![0]!["rule"]).Should().Be("self.min <= self.max");
        ((string?)variant["x-kubernetes-validations"]![0]!["fieldPath"]).Should().Be(".executionProvider");
        ((string?)schema["properties"]!["spec"]!["properties"]!["variants"]!["x-kubernetes-list-type"]).Should().Be("map");
    }

    [Fact]
    public void ForResource_SpecLevelRules_BecomeCelValidationsOverBoundedLists()
    {
        var spec = StructuralSchemaBuilder.ForResource(typeof(RecModel))["properties"]!["spec"]!;
        var inputs = spec["properties"]!["inputs"]!["properties"]!;

        spec["x-kubernetes-validations"]!.AsArray().Select(r => (string?)r!["fieldPath"]).Should().Equal(".autoscaling.minTotalReplicas", ".inputs");
        ((string?)spec["x-kubernetes-validations"]![0]!["rule"]).Should().Contain("self.variants.map(v, v.replicas.max).sum()");

        // The API server refuses a CRD whose rules it cannot bound in cost: the lists they iterate need maxItems.
        ((int?)spec["properties"]!["variants"]!["maxItems"]).Should().Be(RecModelSpec.MaxVariants);
        foreach (var side in new[] { "user", "candidate" })
        {
            ((int?)inputs[side]!["maxItems"]).Should().Be(InputsSpec.MaxInputs);
            ((int?)inputs[side]!["items"]!["maxLength"]).Should().Be(InputsSpec.MaxInputNameLength);
        }
    }

    [Fact]
    public void ForResource_ArtifactCaBundle_IsAConfigMapOrSecretKeyRefAllowedOnlyOverTls()
    {
        var variant = StructuralSchemaBuilder.ForResource(typeof(RecModel))["properties"]!["spec"]!["properties"]!["variants"]!["items"]!;
        var artifact = variant["properties"]!["artifact"]!;
        var bundle = artifact["properties"]!["caBundle"]!;

        foreach (var source in new[] { "configMapKeyRef", "secretKeyRef" })
        {
            var reference = bundle["properties"]![source]!;
            reference["required"]!.AsArray().Select(n => (string?)n).Should().Equal("name", "key");
            reference["properties"]!.AsObject().Select(p => p.Key).Should().Equal("name", "key");
            ((string?)reference["properties"]!["key"]!["pattern"]).Should().Be(Patterns.DataKey);
        }

        // Neither source is required by the schema; the rule asks for exactly one, reported on caBundle itself.
        bundle["required"].Should().BeNull();
        ((string?)bundle["x-kubernetes-validations"]!.AsArray().Single()!["rule"]).Should().Be("has(self.configMapKeyRef) != has(self.secretKeyRef)");
        var rule = artifact["x-kubernetes-validations"]!.AsArray().Single(r => (string?)r!["fieldPath"] == ".caBundle")!;
        ((string?)rule["rule"]).Should().Be("!has(self.caBundle) || self.uri.matches('^(https|s3|gs)://')");
    }

    [Fact]
    public void ForResource_ArtifactCredentialsSecret_IsASecretNameAllowedOnlyForBucketStores()
    {
        var variant = StructuralSchemaBuilder.ForResource(typeof(RecModel))["properties"]!["spec"]!["properties"]!["variants"]!["items"]!;
        var artifact = variant["properties"]!["artifact"]!;
        var secret = artifact["properties"]!["credentialsSecret"]!;

        ((string?)secret["type"]).Should().Be("string");
        ((string?)secret["pattern"]).Should().Be(Patterns.Dns1123Subdomain);
        ((string?)secret["description"]).Should().Contain("AWS_ACCESS_KEY_ID").And.Contain("GOOGLE_OAUTH_ACCESS_TOKEN");
        artifact["required"]!.AsArray().Select(n => (string?)n).Should().Equal("uri");
        var rule = artifact["x-kubernetes-validations"]!.AsArray().Single(r => (string?)r!["fieldPath"] == ".credentialsSecret")!;
        ((string?)rule["rule"]).Should().Be("!has(self.credentialsSecret) || self.uri.matches('^(s3|gs)://')");
    }

    [Fact]
    public void ForResource_VariantNodePools_AreASet()
    {
        var variant = StructuralSchemaBuilder.ForResource(typeof(RecModel))["properties"]!["spec"]!["properties"]!["variants"]!["items"]!;

        ((string?)variant["properties"]!["nodePools"]!["x-kubernetes-list-type"]).Should().Be("set");
    }

    [Fact]
    public async Task WriteAllAsync_Directory_WritesOneFilePerResource()
    {
        var dir = Directory.CreateTempSubdirectory("crds-").FullName;
        try
        {
            var written = await CrdGenerator.WriteAllAsync(dir, CancellationToken.None);

            written.Select(Path.GetFileName).Should().BeEquivalentTo(["recmodels.serving.recoperator.io.yaml", "nodepools.serving.recoperator.io.yaml"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
