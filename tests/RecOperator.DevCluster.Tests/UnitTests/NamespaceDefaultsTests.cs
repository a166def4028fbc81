using System.Text.Json.Nodes;
using FluentAssertions;
using RecOperator.DevCluster.Lifecycle;
using Xunit;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>
/// The root-ca-cert-publisher's check of a namespace's kube-root-ca.crt. A check that never holds had the controller
/// rewrite the ConfigMap on every pass, and a write that changes nothing still signals the next pass: DevCluster then
/// spun on a core while idle (the operator bench's first pass took a quarter longer beside it).
/// </summary>
public sealed class NamespaceDefaultsTests
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    [Fact]
    public void HoldsCa_DataCaCrtIsTheCa_True() =>
        NamespaceDefaults.HoldsCa(ConfigMap(new JsonObject { ["ca.crt"] = Pem }), Pem).Should().BeTrue("the key is `ca.crt`, with a dot in it, read as one key");

    [Theory]
    [InlineData("another CA")]
    [InlineData(null)]
    public void HoldsCa_CaCrtChangedOrMissing_False(string? value)
    {
        var data = value is null ? new JsonObject { ["other"] = Pem } : new JsonObject { ["ca.crt"] = value };
        NamespaceDefaults.HoldsCa(ConfigMap(data), Pem).Should().BeFalse();
    }

    [Fact]
    public void HoldsCa_NoData_False() =>
        NamespaceDefaults.HoldsCa(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "kube-root-ca.crt" } }, Pem).Should().BeFalse();

    private static JsonObject ConfigMap(JsonObject data) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = NamespaceDefaults.RootCaConfigMapName },
        ["data"] = data,
    };
}
