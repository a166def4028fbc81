using System.Net;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

[Collection(SerialCollection.Name)]
public sealed class OverloadTests
{
    [Fact]
    public async Task Infer_ManyMoreRequestsThanQueue_ShedsWith429WithoutGrowingMemoryAndKeepsServing()
    {
        var model = await TestModels.DlrmAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 1, MaxQueueRequests = 4 });
        using var rest = TestPods.RestClient(pod);
        var heavy = InferJson.Request(TestModels.Reference("dlrm-small").CreateInputs(1024, new DeterministicRandom(9)));
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 120).Select(async _ =>
        {
            using var response = await rest.PostAsync("/v2/models/dlrm/infer", InferJson.Content(heavy));
            return response.StatusCode;
        }));

        statuses.Should().OnlyContain(s => s == HttpStatusCode.OK || s == HttpStatusCode.TooManyRequests);
        statuses.Should().Contain(HttpStatusCode.TooManyRequests);
        statuses.Should().Contain(HttpStatusCode.OK);
        (GC.GetTotalMemory(forceFullCollection: true) - memoryBefore).Should().BeLessThan(128L << 20, "shed requests must not stay queued");
        (await InferJson.InferAsync(rest, "dlrm", TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(1)))).Should().HaveCount(1);
    }

    [Fact]
    public async Task ModelInfer_DeadlinePassesWhileQueued_AnswersDeadlineExceeded()
    {
        var model = await TestModels.DlrmAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 1, MaxQueueRequests = 64 });
        using var rest = TestPods.RestClient(pod);
        using var grpc = new GrpcTestClient(pod.GrpcPort);
        // The backlog goes over gRPC with raw contents, which parse cheaply, so the engine and not request parsing is
        // what the queue waits on.
        var heavy = GrpcRequests.Infer("dlrm", TestModels.Reference("dlrm-small").CreateInputs(2048, new DeterministicRandom(9)), raw: true);
        var backlog = Enumerable.Range(0, 32).Select(_ => grpc.CallAsync("inference.GRPCInferenceService/ModelInfer", heavy, ModelInferResponse.Parser)).ToArray();
        // Send the deadline request only once the pod reports a backlog, so it must wait behind it whatever the machine's speed.
        await WaitForQueueDepthAsync(rest, atLeast: 4);

        var (status, message, _) = await grpc.CallAsync("inference.GRPCInferenceService/ModelInfer",
            GrpcRequests.Infer("dlrm", TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(2)), raw: true), ModelInferResponse.Parser, timeout: "5m");

        status.Should().Be(4, message);
        foreach (var (backlogStatus, backlogMessage, _) in await Task.WhenAll(backlog))
        {
            backlogStatus.Should().Be(0, backlogMessage);
        }
    }

    private static async Task WaitForQueueDepthAsync(HttpClient rest, int atLeast)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var metrics = await rest.GetStringAsync("/metrics", timeout.Token);
            var depth = metrics.Split('\n')
                .Where(l => l.StartsWith("recpod_queue_depth", StringComparison.Ordinal))
                .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
                .DefaultIfEmpty(0)
                .Max();
            if (depth >= atLeast)
            {
                return;
            }

            await Task.Delay(5, timeout.Token);
        }
    }
}
