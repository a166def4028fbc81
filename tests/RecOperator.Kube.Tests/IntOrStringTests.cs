using System.Text.Json;

namespace RecOperator.Kube.Tests;

public sealed class IntOrStringTests
{
    [Fact]
    public void Json_ServicePortTargetPort_KeepsNumberOrString()
    {
        const string json = """{"ports":[{"port":80,"targetPort":8080},{"port":81,"targetPort":"http"}]}""";
        var spec = JsonSerializer.Deserialize(json, KubeJsonContext.Default.V1ServiceSpec)!;
        spec.Ports![0].TargetPort!.Value.IntValue.Should().Be(8080);
        spec.Ports[1].TargetPort!.Value.StringValue.Should().Be("http");
        JsonSerializer.Serialize(spec, KubeJsonContext.Default.V1ServiceSpec).Should().Be(json);
    }

    [Theory]
    [InlineData("25%", 10, true, 3)]
    [InlineData("25%", 10, false, 2)]
    [InlineData("100%", 7, false, 7)]
    public void GetScaledValue_Percentage_RoundsAsAsked(string value, int total, bool roundUp, int expected) =>
        IntOrString.FromString(value).GetScaledValue(total, roundUp).Should().Be(expected);

    [Fact]
    public void GetScaledValue_Integer_IsAbsolute() => ((IntOrString)4).GetScaledValue(100, roundUp: true).Should().Be(4);

    [Fact]
    public void GetScaledValue_NotAPercentage_ThrowsNamingTheValue() =>
        FluentActions.Invoking(() => IntOrString.FromString("lots").GetScaledValue(10, false))
            .Should().Throw<FormatException>().WithMessage("*'lots'*");

    [Fact]
    public void Json_Boolean_IsRejected() =>
        FluentActions.Invoking(() => JsonSerializer.Deserialize("""{"port":1,"targetPort":true}""", KubeJsonContext.Default.V1ServicePort))
            .Should().Throw<JsonException>();
}
