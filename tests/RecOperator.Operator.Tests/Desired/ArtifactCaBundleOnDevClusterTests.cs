using System.Text;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube.Models;
using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Desired;

/// <summary>
/// The pod template the operator builds for a variant with a caBundle, run as a real process by DevCluster's node
/// agent: the ConfigMap or Secret key is at the path RECPOD_ARTIFACT_CA names, as the container sees it (the stand-in
/// serves that file back). And the whole loop: the reconciler's Deployment, the node agent holding its pods back for
/// a missing ConfigMap, and the RecModel saying so.
/// </summary>
public sealed class ArtifactCaBundleOnDevClusterTests : IAsyncLifetime
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIBprivatestoreCA\n-----END CERTIFICATE-----\n";
    private StandInPodCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await StandInPodCluster.StartAsync("search");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task PodTemplate_VariantWithCaBundle_ContainerReadsTheConfigMapKeyAtThePathItsEnvNames()
    {
        await _cluster.Client.For<V1ConfigMap>().CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "model-store-ca" },
            Data = new Dictionary<string, string> { ["root-ca.pem"] = Pem },
        }, "search");

        var served = await ServedCaFileAsync(new CaBundleSpec { ConfigMapKeyRef = new ConfigMapKeyReference { Name = "model-store-ca", Key = "root-ca.pem" } });

        served.Should().Be(Pem);
    }

    [Fact]
    public async Task PodTemplate_VariantWithSecretCaBundle_ContainerReadsTheSecretKeyAtThePathItsEnvNames()
    {
        await _cluster.Client.For<V1Secret>().CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "model-store-tls" },
            Data = new Dictionary<string, byte[]> { ["ca.crt"] = Encoding.UTF8.GetBytes(Pem) },
        }, "search");

        var served = await ServedCaFileAsync(new CaBundleSpec { SecretKeyRef = new SecretKeyReference { Name = "model-store-tls", Key = "ca.crt" } });

        served.Should().Be(Pem);
    }

    [Fact]
    public async Task Reconcile_CaBundleNamesAMissingConfigMap_RecModelDegradedArtifactCaUnavailableWithAWarningEvent()
    {
        var bundle = new CaBundleSpec { ConfigMapKeyRef = new ConfigMapKeyReference { Name = "model-store-ca", Key = "root-ca.pem" } };

        var degraded = await _cluster.ReconcileUntilDegradedAsync(Model(bundle));

        degraded.Reason.Should().Be(Conditions.ArtifactCaUnavailable);
        degraded.Message.Should().Be("variant cpu cannot mount its artifact caBundle: configmap \"model-store-ca\" not found");
        (await _cluster.Client.For<EventsV1Event>().ListAsync("search")).Items
            .Should().Contain(e => e.Type == "Warning" && e.Reason == Conditions.ArtifactCaUnavailable && e.Note == degraded.Message);
    }

    // Runs a pod of the variant's template and asks the stand-in for the file RECPOD_ARTIFACT_CA names.
    private async Task<string> ServedCaFileAsync(CaBundleSpec bundle)
    {
        var pod = await _cluster.RunAsync(StandInPodCluster.Template(Model(bundle)), "search-rank-cpu");
        return await StandInPodCluster.AskAsync(pod, "/artifact-ca");
    }

    private static RecModel Model(CaBundleSpec bundle) => new()
    {
        Metadata = new V1ObjectMeta { Name = "search-rank", Namespace = "search", Uid = "1d2e3f4a-3333-4444-8555-b66677778888" },
        Spec = new RecModelSpec
        {
            Slo = new SloSpec { P99LatencyMs = 30 },
            Variants =
            [
                new VariantSpec
                {
                    Name = "cpu", Hardware = Hardware.Cpu, NodePools = [StandInPodCluster.Pool],
                    Artifact = new ArtifactSpec { Uri = "https://models.internal.example/search-rank/model.onnx", CaBundle = bundle },
                },
            ],
        },
    };
}
