using System.Text;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube.Models;
using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Desired;

/// <summary>
/// The pod template of a variant with a credentialsSecret, run as a real process by DevCluster's node agent: the
/// Secret's keys are the container's environment (the stand-in answers them back). And the whole loop for a Secret
/// that does not exist: the reconciler's Deployment, the node agent holding its pods back, the RecModel saying so.
/// </summary>
public sealed class ArtifactCredentialsOnDevClusterTests : IAsyncLifetime
{
    private StandInPodCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await StandInPodCluster.StartAsync("feed");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task PodTemplate_VariantWithCredentialsSecret_ContainerHasTheSecretsKeysAsEnvironment()
    {
        await _cluster.Client.For<V1Secret>().CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "model-store-s3" },
            Data = new Dictionary<string, byte[]>
            {
                ["AWS_ACCESS_KEY_ID"] = Encoding.UTF8.GetBytes("AKIDEXAMPLE"),
                ["AWS_SECRET_ACCESS_KEY"] = Encoding.UTF8.GetBytes("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                ["AWS_ENDPOINT_URL_S3"] = Encoding.UTF8.GetBytes("http://minio.storage:9000"),
            },
        }, "feed");
        var pod = await _cluster.RunAsync(StandInPodCluster.Template(Model), "feed-rank-cpu");

        (await StandInPodCluster.AskAsync(pod, "/env/AWS_ACCESS_KEY_ID")).Should().Be("AKIDEXAMPLE");
        (await StandInPodCluster.AskAsync(pod, "/env/AWS_SECRET_ACCESS_KEY")).Should().Be("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        (await StandInPodCluster.AskAsync(pod, "/env/AWS_ENDPOINT_URL_S3")).Should().Be("http://minio.storage:9000");
    }

    [Fact]
    public async Task Reconcile_CredentialsSecretMissing_RecModelDegradedArtifactCredentialsUnavailableWithAWarningEvent()
    {
        var degraded = await _cluster.ReconcileUntilDegradedAsync(Model);

        degraded.Reason.Should().Be(Conditions.ArtifactCredentialsUnavailable);
        degraded.Message.Should().Be("variant cpu cannot read its artifact credentialsSecret: secret \"model-store-s3\" not found");
        (await _cluster.Client.For<EventsV1Event>().ListAsync("feed")).Items
            .Should().Contain(e => e.Type == "Warning" && e.Reason == Conditions.ArtifactCredentialsUnavailable && e.Note == degraded.Message);
    }

    private static RecModel Model => new()
    {
        Metadata = new V1ObjectMeta { Name = "feed-rank", Namespace = "feed", Uid = "7c1d2e3f-5555-4666-8777-a88899990000" },
        Spec = new RecModelSpec
        {
            Slo = new SloSpec { P99LatencyMs = 20 },
            Variants =
            [
                new VariantSpec
                {
                    Name = "cpu", Hardware = Hardware.Cpu, NodePools = [StandInPodCluster.Pool],
                    Artifact = new ArtifactSpec { Uri = "s3://models/feed-rank/int8/model.onnx", CredentialsSecret = "model-store-s3" },
                },
            ],
        },
    };
}
