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
        var heavy = InferJson.Request(TestModels.Reference("dlrm-small").CreateInputs(2048, new DeterministicRandom(9)));
        var backlog = Enumerable.Range(0, 8).Select(_ => rest.PostAsync("/v2/models/dlrm/infer", InferJson.Content(heavy))).ToArray();
        await Task.Delay(100);

        var (status, message, _) = await grpc.CallAsync("inference.GRPCInferenceService/ModelInfer",
            GrpcRequests.Infer("dlrm", TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(2)), raw: true), ModelInferResponse.Parser, timeout: "5m");

        status.Should().Be(4, message);
        foreach (var response in await Task.WhenAll(backlog))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Dispose();
        }
    }
}
