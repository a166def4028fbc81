using System.Diagnostics;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

/// <summary>Several batch workers share one queue: every request is answered once, and an idle pod stops at once.</summary>
[Collection(SerialCollection.Name)]
public sealed class BatchWorkersTests
{
    [Fact]
    public async Task Infer_ThreeWorkers_AnswerEveryConcurrentRequestAndStopPromptlyWhenIdle()
    {
        var model = await TestModels.DlrmAsync();
        var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 8, Workers = 3 });
        var reference = TestModels.Reference("dlrm-small");
        try
        {
            using var rest = TestPods.RestClient(pod);
            for (var round = 0; round < 3; round++)
            {
                // Bursts with idle gaps between them, so the workers go idle, are woken, and race for the same requests.
                var answers = await Task.WhenAll(Enumerable.Range(0, 24)
                    .Select(i => InferJson.InferAsync(rest, "dlrm", reference.CreateInputs(1 + (i % 3), new DeterministicRandom((ulong)(200 + i))))));
                answers.Select(a => a.Length).Should().Equal(Enumerable.Range(0, 24).Select(i => 1 + (i % 3)));
                await Task.Delay(100);
            }
        }
        finally
        {
            // Every worker waits for a request now; stopping must wake all three, not just the first.
            var stopping = Stopwatch.StartNew();
            var stopped = pod.DisposeAsync().AsTask();
            (await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(20)))).Should().BeSameAs(stopped, "an idle pod stops at once");
            stopping.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        }
    }
}
