using System.Net;
using RecOperator.InferencePod.Artifacts;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>The pod serving `optimize split` output: user model once per request, candidate model for the rows.</summary>
public sealed partial class SplitArtifactTests
{
    [Fact]
    public async Task Infer_SplitArtifactOverRestAndGrpc_EqualsUnsplitModel()
    {
        var unsplit = await TestModels.UserCandidateAsync();
        var candidate = await TestModels.SplitUserCandidateAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(candidate, "ranker"));
        using var rest = TestPods.RestClient(pod);
        using var grpc = new GrpcTestClient(pod.GrpcPort);
        var inputs = TestModels.Reference("user-candidate").CreateInputs(50, new DeterministicRandom(31));
        var expected = TestModels.RunDirect(unsplit.Path, inputs);

        var viaRest = await InferJson.InferAsync(rest, "ranker", inputs);
        var (status, message, response) = await grpc.CallAsync("inference.GRPCInferenceService/ModelInfer",
            GrpcRequests.Infer("ranker", inputs, raw: true), ModelInferResponse.Parser);

        pod.Model.Split.Should().NotBeNull();
        pod.Model.DeclaredInputs.Select(i => i.Name).Should().Contain(["user_dense", "user_history"]);
        viaRest.Should().HaveCount(50).And.Equal(expected, (a, b) => MathF.Abs(a - b) <= 1e-5f);
        status.Should().Be(0, message);
        GrpcRequests.Scores(response!).Should().Equal(expected, (a, b) => MathF.Abs(a - b) <= 1e-5f);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(1, false)]
    public async Task Infer_ConcurrentUsersOnSplitArtifact_EachEqualsItsUnsplitAnswer(int maxBatchSize, bool joined)
    {
        var unsplit = await TestModels.UserCandidateAsync();
        var candidate = await TestModels.SplitUserCandidateAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(candidate, "ranker") with
        {
            MaxBatchSize = maxBatchSize,
            MaxQueueDelayMicros = 5000,
        });
        using var rest = TestPods.RestClient(pod);
        var reference = TestModels.Reference("user-candidate");
        var requests = Enumerable.Range(0, 16).Select(i => reference.CreateInputs(3 + i, new DeterministicRandom((ulong)(200 + i)))).ToArray();
        var expected = requests.Select(r => TestModels.RunDirect(unsplit.Path, r)).ToArray();
        using var start = new SemaphoreSlim(0);

        var answers = requests.Select(async inputs =>
        {
            await start.WaitAsync();
            return await InferJson.InferAsync(rest, "ranker", inputs);
        }).ToArray();
        start.Release(requests.Length);
        var scores = await Task.WhenAll(answers);

        pod.Model.Split!.TileAcrossRequests.Should().Be(joined, "the probe allows joining users for this row-wise candidate model");
        pod.Model.Batchable.Should().Be(joined);
        var engineCalls = long.Parse(BatchCount().Match(await rest.GetStringAsync("/metrics")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (joined)
        {
            engineCalls.Should().BeLessThan(requests.Length, "requests of different users share candidate-model calls");
        }
        else
        {
            engineCalls.Should().Be(requests.Length);
        }
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i].Should().Equal(expected[i], (a, b) => MathF.Abs(a - b) <= 1e-5f, $"user {i} must be scored with its own user row");
        }
    }

    /// <summary>The user model runs on the request thread: an id outside its table failed there with an unhandled 500.</summary>
    [Fact]
    public async Task Infer_UserHistoryIdOutsideItsTable_AnswersBadRequestNamingTheInput()
    {
        var candidate = await TestModels.SplitUserCandidateAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(candidate, "ranker"));
        using var rest = TestPods.RestClient(pod);
        var request = System.Text.Json.Nodes.JsonNode.Parse(InferJson.Request(TestModels.Reference("user-candidate").CreateInputs(4, new DeterministicRandom(33))))!;
        var history = request["inputs"]!.AsArray().Single(i => (string)i!["name"]! == "user_history")!;
        history["data"]![3] = 10_000_000;

        using var response = await rest.PostAsync("/v2/models/ranker/infer", InferJson.Content(request.ToJsonString()));
        var error = await response.Content.ReadAsStringAsync();

        ((int)response.StatusCode).Should().Be(400, error);
        error.Should().Contain("input 'user_history': element 3 is 10000000, outside the embedding table it indexes");
    }

    [Fact]
    public async Task StartAsync_UserModelChanged_RefusesNamingTheUserModelAndSha256()
    {
        var folder = CopySplitFolder(await TestModels.SplitUserCandidateAsync(), out var candidate);
        var user = Directory.GetFiles(folder, "*.user.onnx").Single();
        await File.AppendAllTextAsync(user, "tampered");

        var start = () => TestPods.StartAsync(TestPods.Options(candidate, "ranker"));

        (await start.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .Contain($"user model '{Path.GetFileName(user)}'").And.Contain("sha256").And.Contain("refusing to load it");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task StartAsync_UserInputsConfiguredOtherThanTheSplitsUserModel_RefusesNamingBoth()
    {
        var candidate = await TestModels.SplitUserCandidateAsync();
        var start = () => TestPods.StartAsync(TestPods.Options(candidate, "ranker") with { UserInputs = ["user_dense"] });

        (await start.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .Contain("--user-inputs (RECPOD_USER_INPUTS) names 'user_dense', but the split artifact's user model takes 'user_dense', 'user_history'");
    }

    [Fact]
    public async Task StartAsync_UserModelMissingOrUserHalfGiven_RefusesWithClearMessage()
    {
        var folder = CopySplitFolder(await TestModels.SplitUserCandidateAsync(), out var candidate);
        var user = Directory.GetFiles(folder, "*.user.onnx").Single();
        var userHalf = () => TestPods.StartAsync(TestPods.Options(user, "ranker"));
        (await userHalf.Should().ThrowAsync<ArtifactException>()).Which.Message.Should().Contain("recoperator.split.role='user'");

        File.Delete(user);
        var start = () => TestPods.StartAsync(TestPods.Options(candidate, "ranker"));

        (await start.Should().ThrowAsync<ArtifactException>()).Which.Message.Should().Contain("does not exist");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task StartAsync_SplitArtifactOverHttp_FetchesUserModelBesideIt()
    {
        var source = Path.GetDirectoryName(await TestModels.SplitUserCandidateAsync())!;
        var candidate = Path.GetFileName(await TestModels.SplitUserCandidateAsync());
        await using var server = new ArtifactHttpServer(path => Path.Combine(source, Path.GetFileName(path)));
        var port = server.Port;
        var cache = Directory.CreateTempSubdirectory("recpod-split-cache-");
        var options = TestPods.Options($"http://127.0.0.1:{port}/models/{candidate}", "ranker") with { CacheDirectory = cache.FullName };

        await using (var pod = await TestPods.StartAsync(options))
        {
            using var rest = TestPods.RestClient(pod);
            var inputs = TestModels.Reference("user-candidate").CreateInputs(5, new DeterministicRandom(41));
            (await InferJson.InferAsync(rest, "ranker", inputs)).Should()
                .Equal(TestModels.RunDirect((await TestModels.UserCandidateAsync()).Path, inputs), (a, b) => MathF.Abs(a - b) <= 1e-5f);
        }

        server.Requested.Should().BeEquivalentTo($"/models/{candidate}", $"/models/{candidate.Replace(".candidate.", ".user.", StringComparison.Ordinal)}");
        cache.Delete(recursive: true);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^recpod_batch_size_count\{[^}]*\} (\d+)$", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex BatchCount();

    private static string CopySplitFolder(string candidatePath, out string candidateCopy)
    {
        var folder = Directory.CreateTempSubdirectory("recpod-split-").FullName;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(candidatePath)!, "*.onnx"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        candidateCopy = Path.Combine(folder, Path.GetFileName(candidatePath));
        return folder;
    }
}
