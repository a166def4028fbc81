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
/// An artifact's caBundle reaches the pod: the ConfigMap key as a read-only file, and RECPOD_ARTIFACT_CA naming
/// exactly that file as the container sees it; without a caBundle the pod gets neither.
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
        var pod = deployment.Spec!.Template.Spec!;
        var container = pod.Containers.Single();

        var caFile = container.Env!.Single(e => e.Name == PodSettings.ArtifactCa.EnvironmentVariable).Value!;

        // Resolve the path as a kubelet would: the mount it falls under, that mount's volume, the item it names.
        var mount = container.VolumeMounts!.Single(m => caFile.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        mount.ReadOnly.Should().BeTrue();
        var volume = pod.Volumes!.Single(v => v.Name == mount.Name);
        volume.ConfigMap.Should().NotBeNull();
        volume.ConfigMap!.Name.Should().Be("model-store-ca");
        volume.ConfigMap.Optional.Should().NotBe(true, "a pod told to trust a bundle must not start without it");
        volume.ConfigMap.Items.Should().ContainSingle()
            .Which.Should().Be(new V1KeyToPath { Key = "root-ca.pem", Path = caFile[(mount.MountPath.Length + 1)..] });
        container.Env!.Single(e => e.Name == PodSettings.Artifact.EnvironmentVariable).Value.Should().Be("https://models.internal.example/m.onnx");
        OfficialSchema.Load().Validate(JsonSerializer.SerializeToNode(deployment, KubeJsonContext.Default.V1Deployment)!).Should().BeEmpty();
    }

    [Fact]
    public void Build_ArtifactWithoutCaBundle_HasNoCaVolumeNorEnv()
    {
        var deployment = Build(new ArtifactSpec { Uri = "https://models.example.com/m.onnx" });
        var pod = deployment.Spec!.Template.Spec!;

        pod.Volumes!.Should().NotContain(v => v.ConfigMap != null);
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
