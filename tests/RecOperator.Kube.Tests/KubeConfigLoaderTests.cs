using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.Kube.Tests;

public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Config(string server = "https://10.0.0.1:6443", string user = "token: abc", string clusterExtra = "") => $"""
        apiVersion: v1
        kind: Config
        current-context: dev
        contexts:
        - name: dev
          context: {"{"}cluster: c1, user: u1, namespace: team-a{"}"}
        - name: other
          context: {"{"}cluster: c2, user: u1{"}"}
        clusters:
        - name: c1
          cluster:
            server: {server}
            {clusterExtra}
        - name: c2
          cluster: {"{"}server: "http://127.0.0.1:8080", insecure-skip-tls-verify: true{"}"}
        users:
        - name: u1
          user:
            {user}
        """;

    [Fact]
    public void Parse_CurrentContext_ResolvesClusterUserAndNamespace()
    {
        var config = KubeConfigLoader.Parse(Config(), "/k/config");

        config.Server.Should().Be(new Uri("https://10.0.0.1:6443"));
        config.Namespace.Should().Be("team-a");
        config.Token.Should().BeOfType<StaticTokenSource>();
        config.InsecureSkipTlsVerify.Should().BeFalse();
    }

    [Fact]
    public void Parse_NamedContext_UsesThatContext()
    {
        var config = KubeConfigLoader.Parse(Config(), "/k/config", "other");

        config.Server.Port.Should().Be(8080);
        config.Namespace.Should().Be("default");
        config.InsecureSkipTlsVerify.Should().BeTrue();
    }

    [Theory]
    [InlineData("not-a-url", "", "clusters[0].cluster.server")]
    [InlineData("https://ok", "certificate-authority-data: '%%%'", "clusters[0].cluster.certificate-authority-data")]
    [InlineData("https://ok", "certificate-authority: missing.crt", "clusters[0].cluster.certificate-authority")]
    [InlineData("https://ok", "insecure-skip-tls-verify: maybe", "clusters[0].cluster.insecure-skip-tls-verify")]
    public void Parse_MalformedCluster_ErrorNamesFileAndField(string server, string extra, string field)
    {
        var act = () => KubeConfigLoader.Parse(Config(server, clusterExtra: extra), "/k/config");

        var error = act.Should().Throw<KubeConfigException>().Which;
        error.File.Should().Be("/k/config");
        error.Field.Should().Be(field);
        error.Message.Should().StartWith($"/k/config: {field}: ");
    }

    [Theory]
    [InlineData("client-key-data: AAAA", "users[0].user.client-certificate-data")]
    [InlineData("exec: {command: aws}", "users[0].user.exec.apiVersion")]
    public void Parse_MalformedUser_ErrorNamesField(string user, string field) =>
        FluentActions.Invoking(() => KubeConfigLoader.Parse(Config(user: user), "/k/config"))
            .Should().Throw<KubeConfigException>().Which.Field.Should().Be(field);

    [Fact]
    public void Parse_UnknownContext_ErrorNamesContexts() =>
        FluentActions.Invoking(() => KubeConfigLoader.Parse(Config(), "/k/config", "prod"))
            .Should().Throw<KubeConfigException>().WithMessage("/k/config: contexts: has no entry named 'prod'");

    [Fact]
    public void Parse_InvalidYaml_ErrorNamesFileAndLine() =>
        FluentActions.Invoking(() => KubeConfigLoader.Parse("clusters: [\n  - name: x\n  bad", "/k/config"))
            .Should().Throw<KubeConfigException>().WithMessage("/k/config: (line *");

    [Fact]
    public void Load_MissingFile_ErrorNamesFile() =>
        FluentActions.Invoking(() => KubeConfigLoader.Load(Path.Combine(_folder, "none")))
            .Should().Throw<KubeConfigException>().Which.File.Should().EndWith("none");

    [Fact]
    public async Task Load_TokenFileRelativeToConfig_IsReadAndReReadWhenRotated()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.AddCollection("/api/v1/namespaces/team-a/configmaps", "ConfigMap", "v1").Seed("x");
        var path = Path.Combine(_folder, "config");
        await File.WriteAllTextAsync(Path.Combine(_folder, "token"), "first\n");
        await File.WriteAllTextAsync(path, Config(server.BaseAddress.ToString().TrimEnd('/'), user: "tokenFile: token"));
        using var client = new KubeApiClient(KubeConfigLoader.Load(path));

        await client.For<V1ConfigMap>().TryGetAsync("x");
        await File.WriteAllTextAsync(Path.Combine(_folder, "token"), "second-longer\n");
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "token"), DateTime.UtcNow.AddSeconds(5));
        await client.For<V1ConfigMap>().TryGetAsync("x");

        server.Requests.Select(r => r.Authorization).Should().Equal("Bearer first", "Bearer second-longer");
    }

    [Fact]
    public async Task Load_TlsWithCaDataAndClientCertificate_ConnectsAndPresentsCertificate()
    {
        using var serverCert = TestCertificates.Create("127.0.0.1", forServer: true);
        using var clientCert = TestCertificates.Create("operator", forServer: false);
        await using var server = await TlsServer.StartAsync(serverCert);
        var user = $"client-certificate-data: {TestCertificates.Base64(TestCertificates.CertificatePem(clientCert))}\n    client-key-data: {TestCertificates.Base64(TestCertificates.KeyPem(clientCert))}";
        var trusted = KubeConfigLoader.Parse(
            Config(server.BaseAddress.ToString().TrimEnd('/'), user, $"certificate-authority-data: {TestCertificates.Base64(TestCertificates.CertificatePem(serverCert))}"),
            "/k/config");
        using var client = new KubeApiClient(trusted);

        var answer = await client.For<V1ConfigMap>().GetAsync("any");

        answer.Data!["client"].Should().Be("CN=operator");
    }

    [Fact]
    public async Task Load_CertificateFilesRelativeToConfig_VerifiesServerAndPresentsClientCertificate()
    {
        using var serverCert = TestCertificates.Create("127.0.0.1", forServer: true);
        using var clientCert = TestCertificates.Create("operator-from-files", forServer: false);
        await using var server = await TlsServer.StartAsync(serverCert);
        var certs = Directory.CreateDirectory(Path.Combine(_folder, "pki")).FullName;
        await File.WriteAllTextAsync(Path.Combine(certs, "ca.crt"), TestCertificates.CertificatePem(serverCert));
        await File.WriteAllTextAsync(Path.Combine(certs, "client.crt"), TestCertificates.CertificatePem(clientCert));
        await File.WriteAllTextAsync(Path.Combine(certs, "client.key"), TestCertificates.KeyPem(clientCert));
        var path = Path.Combine(_folder, "config");
        // Relative paths are relative to the kubeconfig's folder, as kubectl resolves them, not to the working directory.
        await File.WriteAllTextAsync(path, Config(
            server.BaseAddress.ToString().TrimEnd('/'),
            user: "client-certificate: pki/client.crt\n    client-key: pki/client.key",
            clusterExtra: "certificate-authority: pki/ca.crt"));
        using var client = new KubeApiClient(KubeConfigLoader.Load(path));

        var answer = await client.For<V1ConfigMap>().GetAsync("any");

        answer.Data!["client"].Should().Be("CN=operator-from-files");
        answer.Data["auth"].Should().BeEmpty("the certificate is the credential");
    }

    [Fact]
    public async Task Load_CaFileOfAnotherAuthority_RefusesServer()
    {
        using var serverCert = TestCertificates.Create("127.0.0.1", forServer: true);
        using var otherCa = TestCertificates.Create("someone-else", forServer: false);
        await using var server = await TlsServer.StartAsync(serverCert);
        await File.WriteAllTextAsync(Path.Combine(_folder, "other-ca.crt"), TestCertificates.CertificatePem(otherCa));
        var path = Path.Combine(_folder, "config");
        await File.WriteAllTextAsync(path, Config(server.BaseAddress.ToString().TrimEnd('/'), clusterExtra: "certificate-authority: other-ca.crt"));
        using var client = new KubeApiClient(KubeConfigLoader.Load(path));

        await FluentActions.Invoking(() => client.For<V1ConfigMap>().GetAsync("any")).Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task Load_TlsWithUnknownCa_FailsUnlessInsecure()
    {
        using var serverCert = TestCertificates.Create("127.0.0.1", forServer: true);
        using var otherCa = TestCertificates.Create("someone-else", forServer: false);
        await using var server = await TlsServer.StartAsync(serverCert);
        var url = server.BaseAddress.ToString().TrimEnd('/');
        using var untrusted = new KubeApiClient(KubeConfigLoader.Parse(
            Config(url, clusterExtra: $"certificate-authority-data: {TestCertificates.Base64(TestCertificates.CertificatePem(otherCa))}"), "/k/config"));
        using var insecure = new KubeApiClient(KubeConfigLoader.Parse(Config(url, clusterExtra: "insecure-skip-tls-verify: true"), "/k/config"));

        await FluentActions.Invoking(() => untrusted.For<V1ConfigMap>().GetAsync("any")).Should().ThrowAsync<HttpRequestException>();
        (await insecure.For<V1ConfigMap>().GetAsync("any")).Data!["auth"].Should().Be("Bearer abc");
    }
}
