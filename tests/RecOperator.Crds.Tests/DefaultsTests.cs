using System.Text.Json.Nodes;
using RecOperator.Crds.Models;

namespace RecOperator.Crds.Tests;

/// <summary>Defaults are the C# initializers, applied through the schema exactly as the API server applies them.</summary>
public sealed class DefaultsTests
{
    private const string Minimal = """
        {"apiVersion":"serving.recoperator.io/v1alpha1","kind":"RecModel","metadata":{"name":"m"},
         "spec":{"slo":{"p99LatencyMs":25},"variants":[{"name":"cpu","hardware":"Cpu","artifact":{"uri":"file:///m.onnx"},"nodePools":["p"]}]}}
        """;

    [Fact]
    public void ReadRecModel_MinimalSpec_GetsEveryDocumentedDefault()
    {
        var model = CrdsSerializer.ReadRecModel(JsonNode.Parse(Minimal)!.AsObject());

        model.Spec.Batching.Should().Be(new BatchingSpec());
        model.Spec.Batching.MaxBatchSize.Should().Be(256);
        model.Spec.Autoscaling.Should().BeEquivalentTo(new AutoscalingSpec());
        model.Spec.Autoscaling.Metrics.Source.Should().Be(MetricsSourceKind.Direct);
        var variant = model.Spec.Variants[0];
        variant.Replicas.Should().Be(new ReplicaBounds { Min = 0, Max = 10 });
        variant.ExecutionProvider.Should().Be(ExecutionProvider.Cpu);
        variant.IntraOpThreads.Should().Be(1);
        variant.Artifact.Precision.Should().Be(Precision.Fp32);
    }

    [Fact]
    public void ReadRecModel_ExplicitValues_AreKept()
    {
        var json = JsonNode.Parse(Minimal)!.AsObject();
        json["spec"]!["batching"] = new JsonObject { ["maxBatchSize"] = 32 };

        var model = CrdsSerializer.ReadRecModel(json);

        model.Spec.Batching.MaxBatchSize.Should().Be(32);
        model.Spec.Batching.MaxQueueDelayMicros.Should().Be(2000);
    }

    [Fact]
    public void WithDefaults_LeavesTheInputUntouched()
    {
        var json = JsonNode.Parse(Minimal)!.AsObject();
        var before = json.ToJsonString();

        CrdsSerializer.WithDefaults(json, Validation.ResourceSchemas.RecModel);

        json.ToJsonString().Should().Be(before);
    }
}
