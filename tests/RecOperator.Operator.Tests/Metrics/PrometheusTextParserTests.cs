using RecOperator.Operator.Metrics;

namespace RecOperator.Operator.Tests.Metrics;

public sealed class PrometheusTextParserTests
{
    [Fact]
    public void Parse_TypicalExposition_ReadsNamesLabelsAndValues()
    {
        const string text = """
            # HELP recop_requests_total Requests.
            # TYPE recop_requests_total counter
            recop_requests_total{variant="cpu-int8",pool="cpu-spot"} 1027 1395066363000
            recop_request_duration_seconds_bucket{le="+Inf"} 12
            weird{path="a\"b\\c\nd"} NaN
            plain -Inf
            """;

        var samples = PrometheusTextParser.Parse(text);

        samples.Should().HaveCount(4);
        samples[0].Labels.Should().Equal(new Dictionary<string, string> { ["variant"] = "cpu-int8", ["pool"] = "cpu-spot" });
        samples[0].Value.Should().Be(1027);
        samples[1].Labels["le"].Should().Be("+Inf");
        samples[2].Labels["path"].Should().Be("a\"b\\c\nd");
        double.IsNaN(samples[2].Value).Should().BeTrue();
        samples[3].Value.Should().Be(double.NegativeInfinity);
    }

    [Theory]
    [InlineData("m{a=\"1\" 3", "line 1")]
    [InlineData("m{a=1} 3", "malformed label set")]
    [InlineData("m 12abc", "value '12abc' is not a number")]
    [InlineData("m", "expected")]
    public void Parse_Malformed_NamesLineAndProblem(string text, string message)
    {
        var act = () => PrometheusTextParser.Parse(text);

        act.Should().Throw<FormatException>().WithMessage($"*{message}*");
    }
}
