using System.Text;
using Microsoft.AspNetCore.Http;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Config.Exec;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.Kube.Tests;

/// <summary>
/// A kubeconfig exec user end to end: the loader, a real bash plugin, and the client calling a real server on
/// 127.0.0.1 with what the plugin printed.
/// </summary>
public sealed class ExecPluginClientTests : IAsyncLifetime
{
    private const string V1Exec = """
        apiVersion: client.authentication.k8s.io/v1
        interactiveMode: IfAvailable
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("exec-plugin-").FullName;
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private FakeApiServer _server = null!;
    private FakeExecPlugin _plugin = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _server.AddCollection("/api/v1/namespaces/default/configmaps", "ConfigMap", "v1").Seed("x");
        _plugin = FakeExecPlugin.Create(_folder);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Request_TokenPlugin_SendsBearerFromOneRunForManyRequests()
    {
        _plugin.Answer(FakeExecPlugin.Token("tok-1", _clock.GetUtcNow().AddHours(1)));
        using var client = Client($"""
            command: {_plugin.ScriptPath}
            args: [get-token, --cluster, "c1 with space"]
            env:
            - {"{"}name: PLUGIN_REGION, value: eu-west-1{"}"}
            - {"{"}name: PLUGIN_EMPTY, value: ""{"}"}
            {V1Exec}
            """);

        // Concurrent first requests share one run; later ones use the cached credential.
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.For<V1ConfigMap>().TryGetAsync("x")));
        await client.For<V1ConfigMap>().TryGetAsync("x");
        await client.For<V1ConfigMap>().TryGetAsync("x");

        _plugin.Runs.Should().Be(1);
        _server.Requests.Should().HaveCount(7).And.OnlyContain(r => r.Authorization == "Bearer tok-1");
        _plugin.Args(1).Should().Equal("get-token", "--cluster", "c1 with space");
        var env = _plugin.Env(1);
        env["PLUGIN_REGION"].Should().Be("eu-west-1");
        env["PLUGIN_EMPTY"].Should().BeEmpty();
        env.Should().ContainKey("PATH", "the plugin inherits this process's environment");
        var info = _plugin.ExecInfo(1);
        info["kind"]!.GetValue<string>().Should().Be("ExecCredential");
        info["apiVersion"]!.GetValue<string>().Should().Be("client.authentication.k8s.io/v1");
        info["spec"]!["interactive"]!.GetValue<bool>().Should().BeFalse();
        info["spec"]!.AsObject().ContainsKey("cluster").Should().BeFalse("provideClusterInfo is not set");
    }

    [Fact]
    public async Task Request_CredentialAboutToExpire_RunsPluginAgain()
    {
        var start = _clock.GetUtcNow();
        _plugin.AnswerRun(1, FakeExecPlugin.Token("early", start.AddMinutes(10)));
        _plugin.AnswerRun(2, FakeExecPlugin.Token("later", start.AddMinutes(30)));
        using var client = Client($"command: {_plugin.ScriptPath}\n{V1Exec}");

        await client.For<V1ConfigMap>().TryGetAsync("x");
        _clock.Advance(TimeSpan.FromMinutes(9));
        await client.For<V1ConfigMap>().TryGetAsync("x");
        // 5 s before expiry: inside the renewal margin (10 s), so the token is replaced before it lapses in flight.
        _clock.Advance(TimeSpan.FromSeconds(55));
        await client.For<V1ConfigMap>().TryGetAsync("x");
        await client.For<V1ConfigMap>().TryGetAsync("x");

        _server.Requests.Select(r => r.Authorization).Should().Equal("Bearer early", "Bearer early", "Bearer later", "Bearer later");
        _plugin.Runs.Should().Be(2);
    }

    [Fact]
    public async Task Request_ServerRefusesToken_RunsPluginOnceMoreAndRetries()
    {
        _plugin.AnswerRun(1, FakeExecPlugin.Token("revoked"));
        _plugin.AnswerRun(2, FakeExecPlugin.Token("fresh"));
        _server.Intercept = RefuseToken("Bearer revoked");
        using var client = Client($"command: {_plugin.ScriptPath}\n{V1Exec}");

        var answer = await client.For<V1ConfigMap>().TryGetAsync("x");

        answer.Should().NotBeNull();
        _server.Requests.Select(r => r.Authorization).Should().Equal("Bearer revoked", "Bearer fresh");
        _plugin.Runs.Should().Be(2);
    }

    [Fact]
    public async Task Request_ServerRefusesEveryToken_FailsAfterOneRenewal()
    {
        _plugin.Answer(FakeExecPlugin.Token("never-good"));
        _server.Intercept = RefuseToken("Bearer never-good");
        using var client = Client($"command: {_plugin.ScriptPath}\n{V1Exec}");

        await FluentActions.Invoking(() => client.For<V1ConfigMap>().TryGetAsync("x")).Should().ThrowAsync<KubeUnauthorizedException>();

        _plugin.Runs.Should().Be(2);
        _server.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Request_V1Beta1Plugin_ExchangesV1Beta1WithoutInteractiveMode()
    {
        _plugin.Answer(FakeExecPlugin.Token("beta", apiVersion: ExecPluginSpec.V1Beta1));
        // v1beta1 defaults interactiveMode to IfAvailable, so a kubeconfig may leave it out.
        using var client = Client($"command: {_plugin.ScriptPath}\napiVersion: client.authentication.k8s.io/v1beta1");

        await client.For<V1ConfigMap>().TryGetAsync("x");

        _server.Requests.Single().Authorization.Should().Be("Bearer beta");
        _plugin.ExecInfo(1)["apiVersion"]!.GetValue<string>().Should().Be(ExecPluginSpec.V1Beta1);
        _plugin.ExecInfo(1)["spec"]!["interactive"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task Request_PluginAnswersOtherVersion_FailsNamingBoth()
    {
        _plugin.Answer(FakeExecPlugin.Token("beta", apiVersion: ExecPluginSpec.V1Beta1));
        using var client = Client($"command: {_plugin.ScriptPath}\n{V1Exec}");

        var error = await FluentActions.Invoking(() => client.For<V1ConfigMap>().TryGetAsync("x")).Should().ThrowAsync<ExecPluginException>();

        error.Which.Message.Should().Contain("printed apiVersion 'client.authentication.k8s.io/v1beta1'").And.Contain("asks for client.authentication.k8s.io/v1");
        _server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Request_ProvideClusterInfo_PassesClusterAndItsExecExtension()
    {
        _plugin.Answer(FakeExecPlugin.Token("with-cluster"));
        using var ca = TestCertificates.Create("cluster-ca", forServer: false);
        await File.WriteAllTextAsync(Path.Combine(_folder, "ca.crt"), TestCertificates.CertificatePem(ca));
        using var client = Client($"command: {_plugin.ScriptPath}\nprovideClusterInfo: true\n{V1Exec}", """
            certificate-authority: ca.crt
            tls-server-name: api.example.internal
            proxy-url: http://proxy.example:3128
            extensions:
            - name: client.authentication.k8s.io/exec
              extension:
                audience: team-a
                scopes: [read, write]
                retries: 3
            - name: something-else
              extension: {ignored: true}
            """);

        await client.For<V1ConfigMap>().TryGetAsync("x");

        var cluster = _plugin.ExecInfo(1)["spec"]!["cluster"]!;
        cluster["server"]!.GetValue<string>().Should().Be(_server.BaseAddress.ToString().TrimEnd('/'));
        cluster["tls-server-name"]!.GetValue<string>().Should().Be("api.example.internal");
        cluster["proxy-url"]!.GetValue<string>().Should().Be("http://proxy.example:3128");
        cluster.AsObject().ContainsKey("insecure-skip-tls-verify").Should().BeFalse("false is omitted, as client-go marshals it");
        Encoding.UTF8.GetString(Convert.FromBase64String(cluster["certificate-authority-data"]!.GetValue<string>()))
            .Should().Be(TestCertificates.CertificatePem(ca), "a CA file is sent as data");
        cluster["config"]!.ToJsonString().Should().Be("""{"audience":"team-a","scopes":["read","write"],"retries":3}""");
    }

    [Fact]
    public async Task Load_RelativeCommandPath_RunsPluginBesideKubeconfig()
    {
        _plugin.Answer(FakeExecPlugin.Token("relative"));
        // "bin/plugin.sh" has a separator, so it is relative to the kubeconfig's folder, not the working directory.
        Directory.GetCurrentDirectory().Should().NotBe(_folder);
        using var client = Client($"command: bin/plugin.sh\n{V1Exec}");

        await client.For<V1ConfigMap>().TryGetAsync("x");

        client.Config.ExecPlugin!.Spec.Command.Should().Be(_plugin.ScriptPath);
        _server.Requests.Single().Authorization.Should().Be("Bearer relative");
    }

    [Fact]
    public async Task Request_PluginExitsNonZero_ErrorCarriesExitCodeAndStderr()
    {
        var script = FakeExecPlugin.WriteScript(Path.Combine(_folder, "failing.sh"), """
            echo '{"partial":'
            echo "error: SSO session expired; run 'aws sso login'" >&2
            exit 3
            """);
        using var client = Client($"command: {script}\n{V1Exec}");

        var error = await FluentActions.Invoking(() => client.For<V1ConfigMap>().TryGetAsync("x")).Should().ThrowAsync<ExecPluginException>();

        error.Which.Message.Should().Contain($"exec plugin '{script}'")
            .And.Contain("users[0].user.exec")
            .And.Contain("exit code 3")
            .And.Contain("SSO session expired; run 'aws sso login'");
        _server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Request_CommandMissing_ErrorShowsInstallHint()
    {
        using var client = Client($"""
            command: recop-test-no-such-plugin
            installHint: |
              recop-test-no-such-plugin is needed to log in; install it with: brew install no-such-plugin
            {V1Exec}
            """);

        var error = await FluentActions.Invoking(() => client.For<V1ConfigMap>().TryGetAsync("x")).Should().ThrowAsync<ExecPluginException>();

        error.Which.Message.Should().Contain("'recop-test-no-such-plugin'")
            .And.Contain("was not found on PATH")
            .And.EndWith("install it with: brew install no-such-plugin");
    }

    [Fact]
    public async Task Request_PluginHangs_IsStoppedAfterTimeoutWithWhatItSaid()
    {
        var script = FakeExecPlugin.WriteScript(Path.Combine(_folder, "hanging.sh"), """
            echo "waiting for browser login" >&2
            sleep 30
            """);
        var path = ExecKubeconfig.Write(_folder, _server.BaseAddress, $"command: {script}\n{V1Exec}");
        using var client = new KubeApiClient(KubeConfigLoader.Load(path, execOptions: new ExecPluginOptions { Timeout = TimeSpan.FromMilliseconds(500) }));
        var started = DateTime.UtcNow;

        var error = await FluentActions.Invoking(() => client.For<V1ConfigMap>().TryGetAsync("x")).Should().ThrowAsync<ExecPluginException>();

        error.Which.Message.Should().Contain("did not finish within 0.5 s").And.Contain("waiting for browser login");
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(20), "the plugin is killed, not waited for");
    }

    private KubeApiClient Client(string exec, string cluster = "") =>
        new(KubeConfigLoader.Load(ExecKubeconfig.Write(_folder, _server.BaseAddress, exec, cluster), execOptions: new ExecPluginOptions { TimeProvider = _clock }));

    private static Func<HttpContext, Task<bool>> RefuseToken(string authorization) => async context =>
    {
        if (context.Request.Headers.Authorization.ToString() != authorization)
        {
            return false;
        }

        await FakeResponses.WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized");
        return true;
    };
}
