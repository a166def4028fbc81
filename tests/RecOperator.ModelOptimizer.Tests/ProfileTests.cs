using RecOperator.ModelOptimizer.Manifest;
using RecOperator.ModelOptimizer.Profiling;
using RecOperator.Onnx;

namespace RecOperator.ModelOptimizer.Tests;

public sealed class ProfileTests
{
    [Fact]
    public async Task RunAsync_UserCandidate_RecordsCapacityInManifestAndVariantWithoutMergingRequests()
    {
        using var output = new TempFolder();
        var model = await ModelFixtures.PathAsync("user-candidate");

        var result = await ProfilePipeline.RunAsync(model, output.Path, new ProfileOptions { P99TargetMs = 1000, Samples = 10, Candidates = 20 }, "cpu", OrtEngine.Create(), CancellationToken.None);

        var profile = (await ManifestFiles.ReadAsync(result.ManifestPath, CancellationToken.None))!.Profile!;
        profile.QpsPerReplica.Should().BeGreaterThan(0);
        profile.P99LatencyMs.Should().BeLessThanOrEqualTo(1000);
        profile.MaxBatchRequests.Should().Be(1, "user inputs have a fixed leading dim of 1, so requests cannot share a run");
        result.VariantYaml.Should().Contain("capacity:").And.Contain("candidatesPerRequest: 20");
        File.Exists(Path.Combine(output.Path, Path.GetFileName(model))).Should().BeFalse("profile never copies or rewrites the model");
    }
}
