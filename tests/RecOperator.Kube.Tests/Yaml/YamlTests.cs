using System.Text.Json.Nodes;
using RecOperator.Kube.Yaml;

namespace RecOperator.Kube.Tests.Yaml;

/// <summary>YAML in (Kubernetes' scalar rules) and out (deterministic, quoting only where needed).</summary>
public sealed class YamlTests
{
    [Fact]
    public void Parse_PlainScalars_ResolveLikeKubernetes()
    {
        var doc = YamlDocuments.Parse("a: 3\nb: 0.5\nc: true\nd: null\ne: \"3\"\nf: v1\ng: 1.2.3\nh: ~\ni: 0x1F\n").Single();

        doc.ToJsonString().Should().Be("""{"a":3,"b":0.5,"c":true,"d":null,"e":"3","f":"v1","g":"1.2.3","h":null,"i":31}""");
    }

    [Fact]
    public void Parse_MultipleDocuments_SkipsEmptyOnes()
    {
        YamlDocuments.Parse("---\na: 1\n---\n---\nb: 2\n").Should().HaveCount(2);
    }

    [Theory]
    [InlineData("a: [1, 2\n", "line 2, column 1: *")]
    [InlineData("a: 1\na: 2\n", "line 2, column 1: Duplicate key a")]
    public void Parse_BadYaml_NamesLineOrKey(string text, string expected)
    {
        var act = () => YamlDocuments.Parse(text);

        act.Should().Throw<FormatException>().WithMessage(expected);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("1.5")]
    [InlineData("a: b")]
    [InlineData("#comment")]
    [InlineData("")]
    [InlineData(" leading")]
    [InlineData("- item")]
    [InlineData("null")]
    [InlineData("self.min <= self.max")]
    [InlineData("!(x in ['a']) || y")]
    [InlineData("naïve ünïcode")]
    [InlineData("line\nbreak")]
    [InlineData("{\"json\": 1}")]
    public void Write_ThenParse_RoundTripsStrings(string value)
    {
        var json = new JsonObject { ["k"] = value, ["list"] = new JsonArray(value, new JsonObject { ["n"] = value }) };

        var back = YamlDocuments.Parse(YamlWriter.Write(json)).Single();

        back.ToJsonString().Should().Be(json.ToJsonString());
    }

    [Fact]
    public void Write_NestedStructures_IsBlockStyle()
    {
        var json = JsonNode.Parse("""{"a":{"b":[{"c":1,"d":[]},"x"]},"e":{}}""");

        YamlWriter.Write(json).Should().Be("a:\n  b:\n  - c: 1\n    d: []\n  - x\ne: {}\n");
    }
}
