using System.Text.Json.Nodes;
using RecOperator.DevCluster.Validation.Cel;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>The CEL subset of CRD validation rules, evaluated against a JSON `self`.</summary>
public sealed class CelTests
{
    private const string Self = """{"min":1,"max":5,"name":"web-1","tags":["a","b"],"ratio":0.5,"variants":[{"name":"cpu","replicas":2},{"name":"gpu","replicas":0}]}""";

    [Theory]
    [InlineData("self.min <= self.max", true)]
    [InlineData("self.min > self.max", false)]
    [InlineData("has(self.name) && !has(self.missing)", true)]
    [InlineData("self.name.startsWith('web') && self.name.matches('^[a-z]+-[0-9]$')", true)]
    [InlineData("size(self.tags) == 2 && self.tags.size() == 2", true)]
    [InlineData("'a' in self.tags && !('z' in self.tags)", true)]
    [InlineData("self.variants.all(v, v.replicas >= 0)", true)]
    [InlineData("self.variants.exists(v, v.name == 'gpu' && v.replicas > 0)", false)]
    [InlineData("self.variants.exists_one(v, v.replicas == 0)", true)]
    [InlineData("self.ratio * 2 == 1 && self.max % 2 == 1", true)]
    [InlineData("self.min == 1 ? self.max == 5 : false", true)]
    [InlineData("self.variants.map(v, v.replicas).size() == 2", true)]
    [InlineData("self.variants[0].name + '-' + self.variants[1].name == 'cpu-gpu'", true)]
    [InlineData("self.variants.map(v, v.replicas).sum() == 2 && [].sum() == 0 && [0.5, 1].sum() == 1.5", true)]
    [InlineData("self.min <= self.variants.map(v, v.replicas).sum()", true)]
    [InlineData("self.max <= self.variants.map(v, v.replicas).sum()", false)]
    [InlineData("[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && [0.5, 2].max() == 2", true)]
    public void Evaluate_Rule_GivesExpected(string rule, bool expected) =>
        CelEvaluator.Evaluate(CelParser.Parse(rule), new Dictionary<string, object?> { ["self"] = CelEvaluator.FromJson(JsonNode.Parse(Self)) })
            .Should().Be(expected);

    [Fact]
    public void Evaluate_MissingField_ThrowsNoSuchKey()
    {
        var act = () => CelEvaluator.Evaluate(CelParser.Parse("self.absent > 1"), new Dictionary<string, object?> { ["self"] = CelEvaluator.FromJson(JsonNode.Parse(Self)) });

        act.Should().Throw<CelException>().WithMessage("no such key: absent");
    }

    [Fact]
    public void Check_RuleWithUnsupportedFunction_IsSkippedNotFailed()
    {
        var schema = JsonNode.Parse("""{"type":"object","x-kubernetes-validations":[{"rule":"isURL(self.name)"},{"rule":"self.min > 3","message":"min too small"}]}""")!.AsObject();
        var errors = new List<RecOperator.DevCluster.Api.FieldError>();

        CelRules.Check(JsonNode.Parse(Self)!, schema, "spec", errors);

        errors.Should().ContainSingle().Which.Detail.Should().Be("min too small");
    }

    [Fact]
    public void Apply_SetWithARepeatedItem_ReportsDuplicateValueAtItsIndex()
    {
        var schema = JsonNode.Parse("""{"type":"object","properties":{"pools":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}}}}""")!.AsObject();
        var obj = JsonNode.Parse("""{"pools":["spot","ondemand","spot"]}""")!.AsObject();

        var errors = RecOperator.DevCluster.Validation.StructuralSchema.Apply(obj, schema);

        errors.Select(e => e.ToString()).Should().Equal("pools[2]: Duplicate value: \"spot\"");
    }

    [Theory]
    [InlineData("self.min <")]
    [InlineData("self.min @ 2")]
    public void Parse_Malformed_ThrowsFormatException(string rule)
    {
        var act = () => CelParser.Parse(rule);

        act.Should().Throw<FormatException>();
    }
}
