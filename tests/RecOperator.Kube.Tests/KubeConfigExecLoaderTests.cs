using RecOperator.Kube.Config;
using RecOperator.Kube.Config.Exec;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.Kube.Tests;

/// <summary>How the loader reads exec users and refuses what cannot work, before anything runs.</summary>
public sealed class KubeConfigExecLoaderTests
{
    private static readonly Uri Server = new("https://10.0.0.1:6443");

    private static KubeClientConfig Parse(string exec) => KubeConfigLoader.Parse(ExecKubeconfig.Yaml(Server, exec), "/k/config");

    private static KubeConfigException ParseError(string user)
    {
        var yaml = ExecKubeconfig.Yaml(Server, "command: unused").Replace("    exec:\n      command: unused", "    " + user.Replace("\n", "\n    "), StringComparison.Ordinal);
        return FluentActions.Invoking(() => KubeConfigLoader.Parse(yaml, "/k/config")).Should().Throw<KubeConfigException>().Which;
    }

    [Fact]
    public void Parse_ExecUser_ReadsSpecWithoutRunningIt()
    {
        var config = Parse("""
            command: no-such-plugin-is-not-run-while-loading
            args: [token, -i, c1]
            env: [{name: A, value: "1"}]
            apiVersion: client.authentication.k8s.io/v1
            interactiveMode: Never
            installHint: get it
            """);

        var spec = config.ExecPlugin!.Spec;
        spec.Command.Should().Be("no-such-plugin-is-not-run-while-loading");
        spec.Args.Should().Equal("token", "-i", "c1");
        spec.Env.Single().Should().Be(KeyValuePair.Create("A", "1"));
        spec.InstallHint.Should().Be("get it");
        spec.Cluster.Should().BeNull();
        spec.Origin.Should().Be("/k/config: users[0].user.exec");
        config.Token.Should().BeOfType<ExecTokenSource>();
        config.ClientCertificate.Should().BeNull();
    }

    [Theory]
    [InlineData("interactiveMode: Always", "users[0].user.exec.interactiveMode", "no terminal")]
    [InlineData("interactiveMode: Sometimes", "users[0].user.exec.interactiveMode", "must be Never, IfAvailable or Always")]
    [InlineData("", "users[0].user.exec.interactiveMode", "is required with client.authentication.k8s.io/v1")]
    public void Parse_InteractiveMode_RefusedWhenItCannotWork(string mode, string field, string problem)
    {
        var act = () => Parse($"command: aws\napiVersion: client.authentication.k8s.io/v1\n{mode}");

        var error = act.Should().Throw<KubeConfigException>().Which;
        error.Field.Should().Be(field);
        error.Message.Should().Contain(problem);
    }

    [Theory]
    [InlineData("client.authentication.k8s.io/v1alpha1", "removed in Kubernetes 1.24")]
    [InlineData("v1", "'v1' is not supported; use client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1")]
    public void Parse_UnknownApiVersion_ErrorNamesField(string apiVersion, string problem) =>
        FluentActions.Invoking(() => Parse($"command: aws\napiVersion: {apiVersion}\ninteractiveMode: Never"))
            .Should().Throw<KubeConfigException>()
            .Where(e => e.Field == "users[0].user.exec.apiVersion" && e.Message.Contains(problem, StringComparison.Ordinal));

    [Theory]
    [InlineData("./bin/plugin", "/k/bin/plugin")]
    [InlineData("bin/plugin", "/k/bin/plugin")]
    [InlineData("../tools/plugin", "/tools/plugin")]
    [InlineData("/usr/local/bin/aws", "/usr/local/bin/aws")]
    [InlineData("gke-gcloud-auth-plugin", "gke-gcloud-auth-plugin")]
    public void Parse_Command_PathsRelativeToKubeconfigNamesOnPath(string command, string resolved) =>
        Parse($"command: {command}\napiVersion: client.authentication.k8s.io/v1\ninteractiveMode: Never")
            .ExecPlugin!.Spec.Command.Should().Be(resolved);

    [Theory]
    [InlineData("gcp", "gke-gcloud-auth-plugin")]
    [InlineData("azure", "kubelogin")]
    [InlineData("oidc", "kubelogin")]
    [InlineData("keystone", "removed its in-tree providers")]
    public void Parse_AuthProvider_NamesTheExecPluginToUse(string provider, string advice)
    {
        var error = ParseError($"auth-provider:\n  name: {provider}\n  config: {{}}");

        error.Field.Should().Be("users[0].user.auth-provider");
        error.Message.Should().Contain(advice).And.Contain("exec");
    }

    [Theory]
    [InlineData("username: admin\npassword: secret", "users[0].user.username")]
    [InlineData("password: secret", "users[0].user.password")]
    public void Parse_BasicAuth_RefusedWithReason(string user, string field)
    {
        var error = ParseError(user);

        error.Field.Should().Be(field);
        error.Message.Should().Contain("basic authentication is not supported");
    }

    [Fact]
    public void Parse_ExecWithStaticToken_RefusedRatherThanGuessed()
    {
        var error = ParseError("token: abc\nexec:\n  command: aws\n  apiVersion: client.authentication.k8s.io/v1\n  interactiveMode: Never");

        error.Field.Should().Be("users[0].user.token");
        error.Message.Should().Contain("cannot be combined with exec");
    }

    [Fact]
    public void Parse_EnvWithoutName_ErrorNamesEntry() =>
        FluentActions.Invoking(() => Parse("command: aws\napiVersion: client.authentication.k8s.io/v1\ninteractiveMode: Never\nenv: [{value: x}]"))
            .Should().Throw<KubeConfigException>().Which.Field.Should().Be("users[0].user.exec.env[0].name");
}
