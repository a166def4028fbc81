using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

[Collection(DlrmPodCollection.Name)]
public sealed class BatchingTests(DlrmPodFixture fixture)
{
    [Fact]
    public async Task Infer_64ConcurrentClients_EveryBatchedAnswerEqualsItsUnbatchedAnswer()
    {
        var reference = TestModels.Reference("dlrm-small");
        var requests = Enumerable.Range(0, 64).Select(i => reference.CreateInputs(1 + (i % 5), new DeterministicRandom((ulong)(100 + i)))).ToArray();
        var expected = requests.Select(r => TestModels.RunDirect(fixture.Model.Path, r)).ToArray();
        var callsBefore = await EngineCalls.ReadAsync(fixture.Rest);
        using var start = new SemaphoreSlim(0);

        var answers = requests.Select(async inputs =>
        {
            await start.WaitAsync();
            return await InferJson.InferAsync(fixture.Rest, "dlrm", inputs);
        }).ToArray();
        start.Release(64);
        var scores = await Task.WhenAll(answers);

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i].Should().Equal(expected[i], (a, b) => MathF.Abs(a - b) <= 1e-5f, $"request {i} must get its own rows back");
        }
        var calls = await EngineCalls.ReadAsync(fixture.Rest) - callsBefore;
        calls.Should().BeLessThan(64, "concurrent requests must share engine calls");
    }
}
