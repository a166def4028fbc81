using System.Text.Json;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Tests;

public sealed class ResourceQuantityTests
{
    [Theory]
    [InlineData("500m", "0.5")]
    [InlineData("2Gi", "2147483648")]
    [InlineData("1.5", "1.5")]
    [InlineData("1e3", "1000")]
    [InlineData("5E-3", "0.005")]
    [InlineData("100Mi", "104857600")]
    [InlineData("1Ei", "1152921504606846976")]
    [InlineData("1n", "0.000000001")]
    [InlineData("-2k", "-2000")]
    public void Parse_ValidQuantity_HasValueInBaseUnits(string text, string expected) =>
        ResourceQuantity.Parse(text).Value.Should().Be(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("500m", "500m")]
    [InlineData("2Gi", "2Gi")]
    [InlineData("1.5", "1500m")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1536Mi", "1536Mi")]
    [InlineData("0.5Gi", "512Mi")]
    [InlineData("2000", "2k")]
    [InlineData("1500", "1500")]
    [InlineData("1e3", "1e3")]
    [InlineData("0", "0")]
    [InlineData("0.1", "100m")]
    [InlineData("1.0000000001", "1000000001n")]
    public void ToString_ParsedQuantity_IsKubernetesCanonicalForm(string text, string canonical) =>
        ResourceQuantity.Parse(text).ToString().Should().Be(canonical);

    [Theory]
    [InlineData("1", "1000m", 0)]
    [InlineData("1Gi", "1G", 1)]
    [InlineData("500m", "0.5", 0)]
    [InlineData("100m", "1", -1)]
    [InlineData("1Ki", "1k", 1)]
    public void CompareTo_TwoQuantities_ComparesByValue(string left, string right, int sign)
    {
        var (a, b) = (ResourceQuantity.Parse(left), ResourceQuantity.Parse(right));
        Math.Sign(a.CompareTo(b)).Should().Be(sign);
        (a == b).Should().Be(sign == 0);
        if (sign == 0)
        {
            a.GetHashCode().Should().Be(b.GetHashCode());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1Gb")]
    [InlineData("1.2.3")]
    [InlineData("5 Mi")]
    public void Parse_Malformed_ThrowsFormatExceptionNamingTheText(string text)
    {
        var act = () => ResourceQuantity.Parse(text);
        act.Should().Throw<FormatException>().Which.Message.Should().Contain(text.Length == 0 ? "empty" : $"'{text}'");
    }

    [Fact]
    public void Json_ResourceRequirements_RoundTripsQuantitiesAsStrings()
    {
        const string json = """{"limits":{"cpu":"2","memory":"1Gi"},"requests":{"cpu":"500m","memory":"512Mi"}}""";
        var requirements = JsonSerializer.Deserialize(json, KubeJsonContext.Default.V1ResourceRequirements)!;
        requirements.Requests!["cpu"].Should().Be(ResourceQuantity.Parse("0.5"));
        requirements.Limits!["memory"].Should().BeGreaterThan(requirements.Requests["memory"]);
        JsonSerializer.Serialize(requirements, KubeJsonContext.Default.V1ResourceRequirements).Should().Be(json);
    }

    [Fact]
    public void Json_QuantityAsNumber_IsAccepted()
    {
        var requirements = JsonSerializer.Deserialize("""{"requests":{"cpu":1.5}}""", KubeJsonContext.Default.V1ResourceRequirements)!;
        requirements.Requests!["cpu"].ToString().Should().Be("1500m");
    }
}
