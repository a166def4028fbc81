using RecOperator.InferencePod.Artifacts;
using RecOperator.InferencePod.Server;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// Models that are not row-wise are served one request per engine call with engine-allocated outputs, so joining
/// never mixes requests' rows and an output whose first dimension is not the row count is not a 500.
/// </summary>
public sealed class RowSafetyTests
{
    private static readonly float[] Ranked = [1f, 2f, 3f];

    [Fact]
    public async Task Infer_SoftmaxOverRowsConcurrently_EveryAnswerEqualsTheLoneAnswer()
    {
        await using var pod = await StartAsync(ListwiseModels.SoftmaxOverRows());
        using var rest = TestPods.RestClient(pod);
        var sum = Ranked.Sum(MathF.Exp);
        var expected = Ranked.Select(v => MathF.Exp(v) / sum).ToArray();

        var alone = await InferJson.InferAsync(rest, "listwise", ListwiseModels.Rows(Ranked));
        var together = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => InferJson.InferAsync(rest, "listwise", ListwiseModels.Rows(Ranked))));

        alone.Should().Equal(expected, (a, b) => MathF.Abs(a - b) <= 1e-6f);
        together.Should().AllSatisfy(answer => answer.Should().Equal(expected, (a, b) => MathF.Abs(a - b) <= 1e-6f, "rows of other requests must not join the softmax"));
        pod.Model.Batchable.Should().BeFalse();
        pod.Model.RowMixing.Should().Contain("output 'y'").And.Contain("mixes rows");
    }

    [Fact]
    public async Task Infer_TopKOutputOfKRows_AnswersMultiRowRequests()
    {
        await using var pod = await StartAsync(ListwiseModels.TopRows(1));
        using var rest = TestPods.RestClient(pod);

        var answers = await Task.WhenAll(
            InferJson.InferAsync(rest, "listwise", ListwiseModels.Rows([1f, 5f, 2f])),
            InferJson.InferAsync(rest, "listwise", ListwiseModels.Rows([7f, 3f])),
            InferJson.InferAsync(rest, "listwise", ListwiseModels.Rows([4f])));

        pod.Model.RowMixing.Should().Contain("output 'values'").And.Contain("not the row count");
        answers.Should().BeEquivalentTo([new[] { 5f }, [7f], [4f]], o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Infer_SoftmaxWithinRows_StillJoinsRequests()
    {
        await using var pod = await StartAsync(ListwiseModels.SoftmaxWithinRows());
        using var rest = TestPods.RestClient(pod);

        var answer = await InferJson.InferAsync(rest, "listwise", ListwiseModels.Rows([1f, 2f, 3f, 0f, 0f, 0f], 3));

        pod.Model.Batchable.Should().BeTrue("a row-wise model keeps dynamic batching");
        pod.Model.RowMixing.Should().BeNull();
        answer.Skip(3).Should().AllSatisfy(v => v.Should().BeApproximately(1f / 3, 1e-6f));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StartAsync_ScalarOrUnknownRankInput_RefusedNamingTheInput(bool unknownRank)
    {
        var start = () => StartAsync(ListwiseModels.ScaledByScalar(unknownRank));

        (await start.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .Contain("input 'scale'").And.Contain("rank 0 or unknown");
    }

    private static Task<PodServer> StartAsync(string artifact) =>
        TestPods.StartAsync(TestPods.Options(artifact, "listwise") with { MaxQueueDelayMicros = 100_000 });
}
