using System.Net;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

public sealed class DrainAndReuseTests
{
    [Fact]
    public async Task StopAsync_RequestInFlight_ReadinessTurnsFalseFirstAndRequestStillCompletes()
    {
        var model = await TestModels.DlrmAsync();
        var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 1, DrainDelayMs = 1500 });
        using var rest = TestPods.RestClient(pod);
        // The readiness probe rides a connection opened before the drain: the assertion is about what readiness
        // answers, and a fresh connect on a saturated 2-core CI runner can be reset by the kernel, not by the pod.
        using var probe = TestPods.RestClient(pod);
        using (var before = await probe.GetAsync("/v2/health/ready"))
        {
            before.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        var heavy = InferJson.Request(TestModels.Reference("dlrm-small").CreateInputs(2048, new DeterministicRandom(9)));
        var inFlight = Enumerable.Range(0, 4).Select(_ => rest.PostAsync("/v2/models/dlrm/infer", InferJson.Content(heavy))).ToArray();
        await Task.Delay(50);

        var stopping = pod.StopAsync();
        await Task.Delay(200);
        using var ready = await probe.GetAsync("/v2/health/ready");

        ready.StatusCode.Should().Be(HttpStatusCode.BadRequest, "readiness turns false (4xx, as the protocol says) before the listeners stop");
        foreach (var response in await Task.WhenAll(inFlight))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Dispose();
        }
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        await pod.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Infer_OneUserManyCandidates_ReuseOnOrOffEqualsDirectRun(bool reuse)
    {
        var model = await TestModels.UserCandidateAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path, "ranker") with { UserSideReuse = reuse });
        using var rest = TestPods.RestClient(pod);
        var inputs = TestModels.Reference("user-candidate").CreateInputs(50, new DeterministicRandom(21));

        var scores = await InferJson.InferAsync(rest, "ranker", inputs);

        pod.Model.TileUserInputs.Should().Be(!reuse);
        pod.Model.UserInputs.Should().BeEquivalentTo("user_dense", "user_history");
        scores.Should().HaveCount(50).And.Equal(TestModels.RunDirect(model.Path, inputs), (a, b) => MathF.Abs(a - b) <= 1e-5f);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Infer_UserInputsConfiguredForAnArtifactWithoutTheMetadata_ServeAsTheMetadataWould(bool reuse)
    {
        // The RecModel's spec.inputs.user reaches the pod as --user-inputs: an artifact that does not name its user
        // inputs (not built by the optimizer) still has them tiled when reuse is off, and is served as-is when on.
        var model = await TestModels.UserCandidateAsync();
        var folder = Directory.CreateTempSubdirectory("recpod-user-inputs-").FullName;
        var bare = Path.Combine(folder, "bare.onnx");
        var proto = Onnx.Model.OnnxModelFiles.Read(model.Path);
        proto.MetadataProps.Remove(proto.MetadataProps.Single(p => p.Key == InferencePod.Model.ModelLoader.UserInputsKey));
        Onnx.Model.OnnxModelFiles.Write(proto, bare);
        await using var pod = await TestPods.StartAsync(TestPods.Options(bare, "ranker") with { UserSideReuse = reuse, UserInputs = ["user_dense", "user_history"] });
        using var rest = TestPods.RestClient(pod);
        var inputs = TestModels.Reference("user-candidate").CreateInputs(30, new DeterministicRandom(22));

        var scores = await InferJson.InferAsync(rest, "ranker", inputs);

        pod.Model.UserInputs.Should().BeEquivalentTo("user_dense", "user_history");
        pod.Model.TileUserInputs.Should().Be(!reuse);
        scores.Should().HaveCount(30).And.Equal(TestModels.RunDirect(model.Path, inputs), (a, b) => MathF.Abs(a - b) <= 1e-5f);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Infer_UserInputWithManyRowsWhenReuseOn_IsRejectedNamingTheInput()
    {
        var model = await TestModels.UserCandidateAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path, "ranker"));
        using var rest = TestPods.RestClient(pod);
        var inputs = TestModels.Reference("user-candidate").CreateInputs(2, new DeterministicRandom(21)).ToList();
        using var tiled = TensorBuffer.AllocatePinned<float>(2, 16);
        inputs[inputs.FindIndex(i => i.Name == "user_dense")] = new NamedTensor("user_dense", tiled);

        using var response = await rest.PostAsync("/v2/models/ranker/infer", InferJson.Content(InferJson.Request(inputs)));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("input 'user_dense': shape must be [1, 16], got [2, 16]");
    }
}
