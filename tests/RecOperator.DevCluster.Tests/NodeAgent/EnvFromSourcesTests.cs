using System.Text;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>A container's envFrom as the kubelet resolves it: keys as variables, prefixes, precedence and the kubelet's error for a missing object.</summary>
public sealed class EnvFromSourcesTests
{
    private static readonly IReadOnlyDictionary<string, byte[]> S3Credentials = new Dictionary<string, byte[]>
    {
        ["AWS_ACCESS_KEY_ID"] = Encoding.UTF8.GetBytes("AKIDEXAMPLE"),
        ["AWS_SECRET_ACCESS_KEY"] = Encoding.UTF8.GetBytes("secret/key"),
    };

    [Fact]
    public void Resolve_SecretRef_EveryKeyIsAVariableWithItsDecodedValue()
    {
        var (env, error) = EnvFromSources.Resolve([Secret("model-store-s3")], [S3Credentials]);

        error.Should().BeNull();
        env.Should().Equal(new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE", ["AWS_SECRET_ACCESS_KEY"] = "secret/key" });
    }

    [Fact]
    public void Resolve_PrefixLaterSourcesAndKeysThatCannotBeVariables_PrefixedLaterWinsBadKeysSkipped()
    {
        var settings = new Dictionary<string, byte[]> { ["AWS_ACCESS_KEY_ID"] = Encoding.UTF8.GetBytes("AKIDOVERRIDE"), ["a=b"] = [0x78] };
        var prefixed = new V1EnvFromSource { Prefix = "STORE_", ConfigMapRef = new V1ConfigMapEnvSource { Name = "store" } };

        var (env, _) = EnvFromSources.Resolve([Secret("model-store-s3"), prefixed, Secret("override")], [S3Credentials, S3Credentials, settings]);

        env.Should().Contain("AWS_ACCESS_KEY_ID", "AKIDOVERRIDE").And.Contain("STORE_AWS_ACCESS_KEY_ID", "AKIDEXAMPLE").And.NotContainKey("a=b");
    }

    [Fact]
    public void Resolve_MissingSecret_HoldsThePodBackWithTheKubeletsWordingUnlessOptional()
    {
        EnvFromSources.Resolve([Secret("model-store-s3")], [null]).Error.Should().Be("secret \"model-store-s3\" not found");
        EnvFromSources.Resolve([new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" } }], [null]).Error
            .Should().Be("configmap \"settings\" not found");

        var optional = new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "model-store-s3", Optional = true } };
        var (env, error) = EnvFromSources.Resolve([optional], [null]);
        error.Should().BeNull();
        env.Should().BeEmpty();
    }

    [Fact]
    public void Resolve_CommandWithEnvFrom_ContainersEnvWinsAndMayReferenceTheKeys()
    {
        var container = new V1Container
        {
            Name = "c", Image = "ghcr.io/recoperator/recpod",
            Env = [new V1EnvVar { Name = "AWS_ACCESS_KEY_ID", Value = "from-env" }, new V1EnvVar { Name = "SECRET_COPY", Value = "$(AWS_SECRET_ACCESS_KEY)" }],
        };
        var envFrom = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE", ["AWS_SECRET_ACCESS_KEY"] = "secret/key" };
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p-1", Namespace = "default" }, Spec = new V1PodSpec { Containers = [] } };

        var resolved = CommandResolver.Resolve(pod, container, DefaultNodeAgentConfig.For("/repo"), new Dictionary<int, int>(), envFrom: envFrom);

        resolved.Env.Should().Contain("AWS_ACCESS_KEY_ID", "from-env").And.Contain("AWS_SECRET_ACCESS_KEY", "secret/key").And.Contain("SECRET_COPY", "secret/key");
    }

    private static V1EnvFromSource Secret(string name) => new() { SecretRef = new V1SecretEnvSource { Name = name } };
}
