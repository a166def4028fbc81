using RecOperator.DevCluster.Api;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>The label selector grammar, table-driven.</summary>
public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("tier in (front,back)", true)]
    [InlineData("tier notin (front)", false)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!missing", true)]
    [InlineData("missing!=x", true)]
    public void Matches_Expression_GivesExpected(string selector, bool expected) =>
        LabelSelector.Parse(selector).Matches(Labels).Should().Be(expected);

    [Theory]
    [InlineData("tier in front")]
    [InlineData("a b")]
    public void Parse_Malformed_Throws400(string selector)
    {
        var act = () => LabelSelector.Parse(selector);

        act.Should().Throw<ApiException>().Which.Code.Should().Be(400);
    }
}
