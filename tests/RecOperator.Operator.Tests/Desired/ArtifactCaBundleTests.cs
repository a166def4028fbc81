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
/// An artifact's caBundle reaches the pod: the ConfigMap or Secret key as a read-only file, and RECPOD_ARTIFACT_CA
/// naming exactly that file as the container sees it; without a caBundle the pod gets neither.
/// </summary>
public sealed class ArtifactCaBundleTests
{
    private static readonly NodePoolSpec Pool = new() { Hardware = Hardware.Cpu };

    [Fact]
    public void Build_ArtifactWithCaBundle_MountsTheConfigMapKeyReadOnlyAtThePathTheEnvNames()
    {
        var deployment = Build(new ArtifactSpec
        {
            Uri = "https://models.internal.example/m.onnx",
            CaBundle = new CaBundleSpec { ConfigMapKeyRef = new ConfigMapKeyReference { Name = "model-store-ca", Key = "root-ca.pem" } },
        });

        var (volume, file) = CaVolumeAndFile(deployment);

        volume.Secret.Should().BeNull();
        volume.ConfigMap.Should().NotBeNull();
        volume.ConfigMap!.Name.Should().Be("model-store-ca");
        volume.ConfigMap.Optional.Should().NotBe(true, "a pod told to trust a bundle must not start without it");
        volume.ConfigMap.Items.Should().ContainSingle().Which.Should().Be(new V1KeyToPath { Key = "root-ca.pem", Path = file });
        deployment.Spec!.Template.Spec!.Containers.Single().Env!.Single(e => e.Name == PodSettings.Artifact.EnvironmentVariable)
            .Value.Should().Be("https://models.internal.example/m.onnx");
        OfficialSchema.Load().Validate(JsonSerializer.SerializeToNode(deployment, KubeJsonContext.Default.V1Deployment)!).Should().BeEmpty();
    }

    [Fact]
    public void Build_ArtifactWithSecretCaBundle_MountsTheSecretKeyReadOnlyAtThePathTheEnvNames()
    {
        var deployment = Build(new ArtifactSpec
        {
            Uri = "s3://models/m.onnx",
            CaBundle = new CaBundleSpec { SecretKeyRef = new SecretKeyReference { Name = "model-store-tls", Key = "ca.crt" } },
        });

        var (volume, file) = CaVolumeAndFile(deployment);

        volume.ConfigMap.Should().BeNull();
        volume.Secret.Should().NotBeNull();
        volume.Secret!.SecretName.Should().Be("model-store-tls");
        volume.Secret.Optional.Should().NotBe(true, "a pod told to trust a bundle must not start without it");
        volume.Secret.Items.Should().ContainSingle().Which.Should().Be(new V1KeyToPath { Key = "ca.crt", Path = file });
        OfficialSchema.Load().Validate(JsonSerializer.SerializeToNode(deployment, KubeJsonContext.Default.V1Deployment)!).Should().BeEmpty();
    }

    [Fact]
    public void Volume_BothSourcesOrNeither_RefusedNamingTheRule()
    {
        var both = new CaBundleSpec
        {
            ConfigMapKeyRef = new ConfigMapKeyReference { Name = "ca", Key = "ca.crt" },
            SecretKeyRef = new SecretKeyReference { Name = "tls", Key = "ca.crt" },
        };

        foreach (var bundle in new[] { both, new CaBundleSpec() })
        {
            var build = () => ArtifactCaBundle.Volume(bundle);
            build.Should().Throw<ArgumentException>().WithMessage("caBundle: exactly one of configMapKeyRef and secretKeyRef must be set*");
        }
    }

    [Fact]
    public void Build_ArtifactWithoutCaBundle_HasNoCaVolumeNorEnv()
    {
        var deployment = Build(new ArtifactSpec { Uri = "https://models.example.com/m.onnx" });
        var pod = deployment.Spec!.Template.Spec!;

        pod.Volumes!.Should().NotContain(v => v.ConfigMap != null || v.Secret != null);
        pod.Containers.Single().Env!.Should().NotContain(e => e.Name == PodSettings.ArtifactCa.EnvironmentVariable);
    }

    [Fact]
    public void Build_ClaimArtifactAndCaBundle_KeepsBothVolumesWithDistinctNamesAndMountPaths()
    {
        // The schema refuses this pairing; the builder must still produce a coherent pod from any spec it is given.
        var deployment = Build(new ArtifactSpec
        {
            Uri = "pvc://model-store/m.onnx",
            CaBundle = new CaBundleSpec { ConfigMapKeyRef = new ConfigMapKeyReference { Name = "ca", Key = "ca.crt" } },
        });
        var pod = deployment.Spec!.Template.Spec!;

        pod.Volumes!.Select(v => v.Name).Should().OnlyHaveUniqueItems().And.HaveCount(3);
        pod.Containers.Single().VolumeMounts!.Select(m => m.MountPath).Should().OnlyHaveUniqueItems().And.HaveCount(3);
    }

    // Resolves RECPOD_ARTIFACT_CA as a kubelet would: the read-only mount it falls under, that mount's volume, and the
    // file inside the volume, which the volume's one item must project the key to.
    private static (V1Volume Volume, string File) CaVolumeAndFile(V1Deployment deployment)
    {
        var pod = deployment.Spec!.Template.Spec!;
        var container = pod.Containers.Single();
        var caFile = container.Env!.Single(e => e.Name == PodSettings.ArtifactCa.EnvironmentVariable).Value!;
        var mount = container.VolumeMounts!.Single(m => caFile.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        mount.ReadOnly.Should().BeTrue();
        return (pod.Volumes!.Single(v => v.Name == mount.Name), caFile[(mount.MountPath.Length + 1)..]);
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
