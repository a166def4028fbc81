using System.Text.Json;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.InferencePod.Configuration;
using RecOperator.Kube;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Desired;

/// <summary>
/// An artifact's credentialsSecret reaches the pod as the recpod container's envFrom (every key a variable); without
/// one the container has no envFrom. The operator's own settings stay in env, which Kubernetes lets win.
/// </summary>
public sealed class ArtifactCredentialsTests
{
    private static readonly NodePoolSpec Pool = new() { Hardware = Hardware.Cpu };

    [Theory]
    [InlineData("s3://models/ranking/m.onnx", "model-store-s3")]
    [InlineData("gs://models/ranking/m.onnx", "gcs-reader-token")]
    public void Build_ArtifactWithCredentialsSecret_PodTemplateTakesTheSecretAsEnvFrom(string uri, string secret)
    {
        var deployment = Build(new ArtifactSpec { Uri = uri, CredentialsSecret = secret });
        var container = deployment.Spec!.Template.Spec!.Containers.Single(c => c.Name == InferenceContainerBuilder.ContainerName);

        var source = container.EnvFrom.Should().ContainSingle().Subject;
        source.Should().Be(new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = secret } });
        source.SecretRef!.Optional.Should().NotBe(true, "a pod told to use credentials must not start without them");
        source.Prefix.Should().BeNull("the pod reads the standard variable names");
        container.Env!.Single(e => e.Name == PodSettings.Artifact.EnvironmentVariable).Value.Should().Be(uri);
        OfficialSchema.Load().Validate(JsonSerializer.SerializeToNode(deployment, KubeJsonContext.Default.V1Deployment)!).Should().BeEmpty();
    }

    [Fact]
    public void Build_ArtifactWithoutCredentialsSecret_HasNoEnvFrom()
    {
        var deployment = Build(new ArtifactSpec { Uri = "s3://public-models/m.onnx" });

        deployment.Spec!.Template.Spec!.Containers.Single().EnvFrom.Should().BeNull();
    }

    private static V1Deployment Build(ArtifactSpec artifact)
    {
        var variant = new VariantSpec { Name = "cpu", Hardware = Hardware.Cpu, Artifact = artifact, NodePools = ["cpu"] };
        var model = new RecModel
        {
            Metadata = new V1ObjectMeta { Name = "search-rank", Namespace = "search", Uid = "1d2e3f4a-3333-4444-8555-b66677778888" },
            Spec = new RecModelSpec { Slo = new SloSpec { P99LatencyMs = 30 }, Variants = [variant] },
        };
        return DeploymentBuilder.Build(model, variant, "cpu", Pool, OperatorImages.Default);
    }
}
