using System.Text.Json.Nodes;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>Values printed as the real server's Go code prints them in error messages, table-driven.</summary>
public sealed class GoTextTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(0.5, "0.5")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(100000.0, "100000")]
    [InlineData(123456.7, "123456.7")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(123456789.0, "1.23456789e+08")]
    [InlineData(1e21, "1e+21")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-0.000123, "-0.000123")]
    public void Float_Value_PrintedAsGosPercentV(double value, string expected) =>
        GoText.Float(value).Should().Be(expected);

    [Theory]
    [InlineData("\"a\"", "\"a\"")]
    [InlineData("\"tab\\there \\\"q\\\" é\"", "\"tab\\there \\\"q\\\" é\"")]
    [InlineData("80", "80")]
    [InlineData("1.0", "1")]
    [InlineData("2.5e6", "2.5e+06")]
    [InlineData("true", "true")]
    [InlineData("null", "null")]
    [InlineData("""{"protocol":"TCP","port":80}""", "map[string]interface {}{\"port\":80, \"protocol\":\"TCP\"}")]
    [InlineData("""["a",1]""", "[]interface {}{\"a\", 1}")]
    public void BadValue_DecodedJson_PrintedAsFieldErrorPrintsIt(string json, string expected) =>
        GoText.BadValue(JsonNode.Parse(json)).Should().Be(expected);
}
