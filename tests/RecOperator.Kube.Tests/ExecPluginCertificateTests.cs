using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Config.Exec;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.Kube.Tests;

/// <summary>An exec plugin that answers with a client certificate: it becomes the TLS client certificate, and a new one replaces it on expiry.</summary>
public sealed class ExecPluginCertificateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("exec-cert-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Request_CertificatePlugin_PresentsCertificateAndRotatesItOnExpiry()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var serverCert = TestCertificates.Create("127.0.0.1", forServer: true);
        using var first = TestCertificates.Create("exec-first", forServer: false);
        using var second = TestCertificates.Create("exec-second", forServer: false);
        await using var server = await TlsServer.StartAsync(serverCert);
        var plugin = FakeExecPlugin.Create(_folder)
            .AnswerRun(1, FakeExecPlugin.Certificate(TestCertificates.CertificatePem(first), TestCertificates.KeyPem(first), clock.GetUtcNow().AddMinutes(10)))
            .AnswerRun(2, FakeExecPlugin.Certificate(TestCertificates.CertificatePem(second), TestCertificates.KeyPem(second), clock.GetUtcNow().AddMinutes(20)));
        var path = ExecKubeconfig.Write(
            _folder, server.BaseAddress,
            $"command: {plugin.ScriptPath}\napiVersion: client.authentication.k8s.io/v1\ninteractiveMode: Never",
            $"certificate-authority-data: {TestCertificates.Base64(TestCertificates.CertificatePem(serverCert))}");
        using var client = new KubeApiClient(KubeConfigLoader.Load(path, execOptions: new ExecPluginOptions { TimeProvider = clock }));

        var before = await client.For<V1ConfigMap>().GetAsync("any");
        var again = await client.For<V1ConfigMap>().GetAsync("any");
        clock.Advance(TimeSpan.FromMinutes(10));
        var after = await client.For<V1ConfigMap>().GetAsync("any");

        before.Data!["client"].Should().Be("CN=exec-first");
        before.Data["auth"].Should().BeEmpty("a certificate credential sends no bearer token");
        again.Data!["client"].Should().Be("CN=exec-first");
        // The pooled connection still carries the first certificate; the new one needs a new connection.
        after.Data!["client"].Should().Be("CN=exec-second");
        plugin.Runs.Should().Be(2);
    }

    [Fact]
    public async Task Request_PluginPrintsCertificateWithoutKey_FailsNamingTheField()
    {
        using var serverCert = TestCertificates.Create("127.0.0.1", forServer: true);
        using var clientCert = TestCertificates.Create("half", forServer: false);
        await using var server = await TlsServer.StartAsync(serverCert);
        var answer = FakeExecPlugin.Certificate(TestCertificates.CertificatePem(clientCert), "");
        var plugin = FakeExecPlugin.Create(_folder).Answer(answer);
        var path = ExecKubeconfig.Write(
            _folder, server.BaseAddress,
            $"command: {plugin.ScriptPath}\napiVersion: client.authentication.k8s.io/v1\ninteractiveMode: Never",
            "insecure-skip-tls-verify: true");
        using var client = new KubeApiClient(KubeConfigLoader.Load(path));

        var error = await FluentActions.Invoking(() => client.For<V1ConfigMap>().GetAsync("any")).Should().ThrowAsync<ExecPluginException>();

        error.Which.Message.Should().Contain("status.clientCertificateData without status.clientKeyData");
    }
}
