using System.Net;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

[Collection(SerialCollection.Name)]
public sealed class OverloadTests
{
    [Fact]
    public async Task Infer_ManyMoreRequestsThanQueue_ShedsWith429AndKeepsServing()
    {
        var model = await TestModels.DlrmAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 1, MaxQueueRequests = 4 });
        using var rest = TestPods.RestClient(pod);
        var heavy = InferJson.Request(TestModels.Reference("dlrm-small").CreateInputs(1024, new DeterministicRandom(9)));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 120).Select(async _ =>
        {
            using var response = await rest.PostAsync("/v2/models/dlrm/infer", InferJson.Content(heavy));
            return response.StatusCode;
        }));

        statuses.Should().OnlyContain(s => s == HttpStatusCode.OK || s == HttpStatusCode.TooManyRequests);
        statuses.Should().Contain(HttpStatusCode.TooManyRequests);
        statuses.Should().Contain(HttpStatusCode.OK);
        (await InferJson.InferAsync(rest, "dlrm", TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(1)))).Should().HaveCount(1);
    }

    [Fact]
    public async Task ModelInfer_ManyMoreRequestsThanQueue_ShedsWithResourceExhaustedAndKeepsServing()
    {
        var model = await TestModels.DlrmAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 1, MaxQueueRequests = 4 });
        using var grpc = new GrpcTestClient(pod.GrpcPort);
        var heavy = GrpcRequests.Infer("dlrm", TestModels.Reference("dlrm-small").CreateInputs(1024, new DeterministicRandom(9)), raw: true);

        var answers = await Task.WhenAll(Enumerable.Range(0, 120).Select(_ =>
            grpc.CallAsync("inference.GRPCInferenceService/ModelInfer", heavy, ModelInferResponse.Parser, timeout: "60S")));

        answers.Should().OnlyContain(a => a.Status == 0 || a.Status == 8, "a full queue answers RESOURCE_EXHAUSTED (8), nothing else");
        answers.Should().Contain(a => a.Status == 0);
        answers.Where(a => a.Status == 8).Should().NotBeEmpty()
            .And.OnlyContain(a => a.Message.Contains("the inference queue is full (4 requests waiting)", StringComparison.Ordinal));
        var light = GrpcRequests.Infer("dlrm", TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(1)), raw: true);
        var (status, message, answer) = await grpc.CallAsync("inference.GRPCInferenceService/ModelInfer", light, ModelInferResponse.Parser);
        status.Should().Be(0, message);
        GrpcRequests.Scores(answer!).Should().HaveCount(1);
    }

    [Fact]
    public async Task ModelInfer_DeadlinePassesWhileQueued_AnswersDeadlineExceeded()
    {
        var model = await TestModels.DlrmAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { MaxBatchSize = 1, MaxQueueRequests = 64, Workers = 1 });
        using var rest = TestPods.RestClient(pod);
        using var grpc = new GrpcTestClient(pod.GrpcPort);
        var request = GrpcRequests.Infer("dlrm", TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(2)), raw: true);
        var runsBefore = await EngineCalls.ReadAsync(rest);

        // A 1 microsecond deadline has always passed by the time the worker takes the request from the queue, whatever
        // the machine's speed: the client gets DEADLINE_EXCEEDED and the pod must drop the request unrun.
        var (status, message, _) = await grpc.CallAsync("inference.GRPCInferenceService/ModelInfer", request, ModelInferResponse.Parser, timeout: "1u");
        var (next, nextMessage, answer) = await grpc.CallAsync("inference.GRPCInferenceService/ModelInfer", request, ModelInferResponse.Parser, timeout: "30S");

        status.Should().Be(4, message);
        next.Should().Be(0, nextMessage);
        answer!.Outputs.Should().NotBeEmpty();
        // One worker takes requests in order, so the expired one was handled before the valid one ran: the engine
        // ran once (recpod_batch_size is recorded per engine call), for the valid request only.
        (await EngineCalls.ReadAsync(rest) - runsBefore).Should().Be(1);
    }
}
