using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

/// <summary>A request whose values fail the engine fails alone, not the requests joined with it in one batch.</summary>
public sealed class BatchIsolationTests
{
    [Fact]
    public async Task Infer_RequestThatFailsTheEngineJoinedWithOthers_OnlyItFails()
    {
        var model = await TestModels.DlrmAsync();
        var engine = new PoisonEngine(RecOperator.Onnx.OrtEngine.Create(), poison: 777);
        // A window long enough that the three requests, sent together, share one engine call.
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 64, MaxQueueDelayMicros = 300_000 }, engine);
        using var rest = TestPods.RestClient(pod);
        var reference = TestModels.Reference("dlrm-small");
        var requests = Enumerable.Range(0, 3).Select(i => InferJson.Request(reference.CreateInputs(2, new DeterministicRandom((ulong)(50 + i))))).ToArray();
        // An id inside sparse_0's table, so the checks before the queue pass it.
        var poisoned = System.Text.Json.Nodes.JsonNode.Parse(requests[1])!;
        poisoned["inputs"]![1]!["data"] = new System.Text.Json.Nodes.JsonArray(engine.Poison, 1);
        requests[1] = poisoned.ToJsonString();
        var callsBefore = engine.Calls;

        var answers = await Task.WhenAll(requests.Select(async body =>
        {
            using var response = await rest.PostAsync("/v2/models/dlrm/infer", InferJson.Content(body));
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }));

        answers[0].Item1.Should().Be(200, answers[0].Item2);
        answers[2].Item1.Should().Be(200, answers[2].Item2);
        answers[1].Item1.Should().Be(500);
        answers[1].Item2.Should().Contain("poisoned id 777");
        (engine.Calls - callsBefore).Should().BeGreaterThanOrEqualTo(2, "the joined call failed and its requests ran again one by one");
    }
}
