using System.Text.Json.Nodes;
using RecOperator.Crds.Manifests;
using RecOperator.Crds.Schema;
using RecOperator.Crds.Validation;
using RecOperator.Kube.Yaml;
using RecOperator.Tests.Shared;

namespace RecOperator.Crds.Tests;

/// <summary>The samples in manifests/samples are valid for the C# validator and for the committed CRD schemas.</summary>
public sealed class SampleTests
{
    public static TheoryData<string> SampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("manifests", "samples"), "*.yaml").Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Check_Sample_IsValid(string file)
    {
        var results = ManifestChecker.Check(file, File.ReadAllText(RepoPaths.Combine("manifests", "samples", file)));

        results.Should().NotBeEmpty();
        results.SelectMany(r => r.Errors).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void CommittedCrdSchema_Sample_ValidatesAfterDefaulting(string file)
    {
        foreach (var document in YamlDocuments.Parse(File.ReadAllText(RepoPaths.Combine("manifests", "samples", file))).Cast<JsonObject>())
        {
            var schema = CommittedSchemaFor((string)document["kind"]!);
            SchemaDefaulter.Apply(document, schema);

            StructuralSchemaValidator.Validate(document, schema).Should().BeEmpty();
        }
    }

    [Fact]
    public void Samples_CoverThreeVariantsAndThreePools()
    {
        var documents = Directory.GetFiles(RepoPaths.Combine("manifests", "samples"), "*.yaml")
            .SelectMany(f => YamlDocuments.Parse(File.ReadAllText(f)))
            .ToList();

        var pools = documents.Where(d => (string?)d["kind"] == "NodePool").Select(d => (string?)d["metadata"]!["name"]);
        pools.Should().BeEquivalentTo(["cpu-spot", "cpu-ondemand", "gpu"]);
        var model = CrdsSerializer.ReadRecModel(documents.Single(d => (string?)d["kind"] == "RecModel").AsObject());
        model.Spec.Variants.Select(v => v.Name).Should().Equal("cpu-int8", "cpu-fp32", "gpu-fp16");
    }

    internal static JsonObject CommittedSchemaFor(string kind)
    {
        var info = Generation.CustomResources.All.Single(i => i.Descriptor.Kind == kind);
        var crd = YamlDocuments.Parse(File.ReadAllText(RepoPaths.Combine("manifests", "crds", Generation.CrdGenerator.FileName(info)))).Single();
        return crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
    }
}
