using System.Text.Json.Nodes;
using RecOperator.Kube.Config.Exec;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.Kube.Tests;

public sealed class ExecCredentialJsonTests
{
    private static readonly ExecPluginSpec Spec = new() { Command = "aws", ApiVersion = ExecPluginSpec.V1, Origin = "/k/config: users[0].user.exec" };

    [Fact]
    public void Parse_TokenWithExpiry_ReadsBoth()
    {
        var credential = ExecCredentialJson.Parse(
            """{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"k8s-aws-v1.abc","expirationTimestamp":"2025-01-01T00:14:00Z"}}""", Spec);

        credential.Token.Should().Be("k8s-aws-v1.abc");
        credential.ClientCertificate.Should().BeNull();
        credential.ExpiresAt.Should().Be(new DateTimeOffset(2025, 1, 1, 0, 14, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Parse_CertificateAndKey_BuildsCertificateWithKey()
    {
        using var source = TestCertificates.Create("from-plugin", forServer: false);
        var json = FakeExecPlugin.Certificate(TestCertificates.CertificatePem(source), TestCertificates.KeyPem(source)).ToJsonString();

        using var certificate = ExecCredentialJson.Parse(json, Spec).ClientCertificate;

        certificate!.Subject.Should().Be("CN=from-plugin");
        certificate.HasPrivateKey.Should().BeTrue();
    }

    [Theory]
    [InlineData("not json at all", "printed no valid JSON")]
    [InlineData("""["ExecCredential"]""", "not an object")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"Pod","status":{"token":"t"}}""", "printed kind 'Pod'; expected ExecCredential")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}""", "asks for client.authentication.k8s.io/v1")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}""", "without status")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}""", "neither status.token nor status.clientCertificateData")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientKeyData":"k"}}""", "status.clientKeyData without status.clientCertificateData")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"c","clientKeyData":"k"}}""", "not a PEM certificate and its key")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"soon"}}""", "status.expirationTimestamp 'soon'")]
    public void Parse_WrongAnswer_ErrorNamesPluginAndProblem(string stdout, string problem) =>
        FluentActions.Invoking(() => ExecCredentialJson.Parse(stdout, Spec))
            .Should().Throw<ExecPluginException>()
            .Which.Message.Should().StartWith("exec plugin 'aws' (/k/config: users[0].user.exec) ").And.Contain(problem);

    [Fact]
    public void Parse_InvalidJsonCarryingToken_DoesNotEchoIt() =>
        FluentActions.Invoking(() => ExecCredentialJson.Parse("""{"status":{"token":"secret-token-value" """, Spec))
            .Should().Throw<ExecPluginException>().Which.Message.Should().NotContain("secret-token-value");

    [Fact]
    public void Request_WithoutClusterInfo_IsNonInteractiveAndNamesVersion()
    {
        var request = JsonNode.Parse(ExecCredentialJson.Request(Spec with { ApiVersion = ExecPluginSpec.V1Beta1 }))!;

        request.ToJsonString().Should().Be("""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}""");
    }

    [Fact]
    public void Request_WithClusterInfo_WritesClientGoFieldNames()
    {
        var cluster = new ExecClusterInfo
        {
            Server = "https://eks.example:443",
            InsecureSkipTlsVerify = true,
            DisableCompression = true,
            CertificateAuthorityPem = "PEM",
            Config = new JsonObject { ["audience"] = "a" },
        };

        var request = JsonNode.Parse(ExecCredentialJson.Request(Spec with { Cluster = cluster }))!;

        request["spec"]!["cluster"]!.ToJsonString().Should().Be(
            """{"server":"https://eks.example:443","insecure-skip-tls-verify":true,"certificate-authority-data":"UEVN","disable-compression":true,"config":{"audience":"a"}}""");
    }

    [Theory]
    [InlineData(null, 0, true)]
    [InlineData(60, 0, true)]
    [InlineData(60, 49, true)]
    [InlineData(60, 50, false)]
    [InlineData(60, 120, false)]
    public void IsFreshAt_MarginBeforeExpiry_RenewsEarly(int? expiresInSeconds, int elapsedSeconds, bool fresh)
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var credential = new ExecCredential("t", null, expiresInSeconds is { } s ? start.AddSeconds(s) : null);

        credential.IsFreshAt(start.AddSeconds(elapsedSeconds), TimeSpan.FromSeconds(10)).Should().Be(fresh);
    }
}
