using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

[Collection(DlrmPodCollection.Name)]
public sealed class MalformedRequestTests(DlrmPodFixture fixture)
{
    private static readonly string Sparse = string.Join(",", Enumerable.Range(0, 26).Select(i => $"{{\"name\":\"sparse_{i}\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[1]}}"));

    /// <summary>Bodies that are each wrong in one way, posted to the dlrm model unless they name another route.</summary>
    private static readonly (string Path, string Body, string? BinaryHeader)[] RestCases =
    [
        ("dlrm", "{\"inputs\":[", null),
        ("dlrm", "[1,2,3]", null),
        ("dlrm", "{}", null),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP99\",\"shape\":[1,13],\"data\":[]}]}", null),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"INT64\",\"shape\":[1,13],\"data\":[1,2,3,4,5,6,7,8,9,10,11,12,13]}," + Sparse + "]}", null),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":[1,2,3,4,5,6,7,8,9,10,11,12]}," + Sparse + "]}", null),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1,13],\"data\":[1,2,3]}," + Sparse + "]}", null),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1,13],\"data\":[\"a\",2,3,4,5,6,7,8,9,10,11,12,13]}," + Sparse + "]}", null),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[-1,13],\"data\":[]}]}", null),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1000000000000,13],\"data\":[]}]}", null),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1,13],\"data\":[1,2,3,4,5,6,7,8,9,10,11,12,13]}]}", null),
        ("dlrm", "{\"inputs\":[{\"name\":\"nope\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}", null),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1,13],\"parameters\":{\"binary_data_size\":52}}]}", "0"),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1,13],\"data\":[1,2,3,4,5,6,7,8,9,10,11,12,13]}]}", "99999"),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1,13],\"data\":[1,2,3,4,5,6,7,8,9,10,11,12,13]}," + Sparse + "],\"outputs\":[{\"name\":\"nope\"}]}", null),
        ("other", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1,13],\"data\":[1,2,3,4,5,6,7,8,9,10,11,12,13]}]}", null),
        ("dlrm", "{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1,13],\"data\":[" + string.Join(",", Enumerable.Repeat("1.0", 80_000)) + "]}]}", null),
    ];

    [Fact]
    public async Task Infer_1000MalformedRequests_EachGets4xxOrInvalidArgumentAndNextValidRequestSucceeds()
    {
        using var grpc = new GrpcTestClient(fixture.Pod.GrpcPort);
        var grpcCases = GrpcCases();
        var restStatuses = new int[700];
        var grpcStatuses = new int[300];
        await Parallel.ForAsync(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            if (i < 700)
            {
                var (path, body, header) = RestCases[i % RestCases.Length];
                using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                if (header is not null)
                {
                    content.Headers.Add("Inference-Header-Content-Length", header);
                }
                using var response = await fixture.Rest.PostAsync($"/v2/models/{path}/infer", content);
                restStatuses[i] = (int)response.StatusCode;
            }
            else
            {
                grpcStatuses[i - 700] = (await grpc.CallRawAsync("inference.GRPCInferenceService/ModelInfer", grpcCases[i % grpcCases.Length])).Status;
            }
        });

        restStatuses.Should().OnlyContain(s => s >= 400 && s < 500);
        grpcStatuses.Should().OnlyContain(s => s == 3 || s == 5 || s == 8, "INVALID_ARGUMENT, NOT_FOUND (unknown model) or RESOURCE_EXHAUSTED (too large)");
        var inputs = TestModels.Reference("dlrm-small").CreateInputs(2, new DeterministicRandom(3));
        (await InferJson.InferAsync(fixture.Rest, "dlrm", inputs)).Should().HaveCount(2);
        var valid = await grpc.CallAsync("inference.GRPCInferenceService/ModelInfer", GrpcRequests.Infer("dlrm", inputs, raw: true), ModelInferResponse.Parser);
        valid.Status.Should().Be(0, valid.Message);
    }

    private static byte[][] GrpcCases()
    {
        var inputs = TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(4));
        var wrongShape = GrpcRequests.Infer("dlrm", inputs, raw: false);
        wrongShape.Inputs[0].Shape[1] = 12;
        var wrongType = GrpcRequests.Infer("dlrm", inputs, raw: true);
        wrongType.Inputs[1].Datatype = "FP32";
        var rawCountMismatch = GrpcRequests.Infer("dlrm", inputs, raw: true);
        rawCountMismatch.RawInputContents.RemoveAt(0);
        var unknownModel = GrpcRequests.Infer("other", inputs, raw: true);
        var random = new Random(5);
        var garbage = new byte[64];
        random.NextBytes(garbage);
        var tooLong = GrpcTestClient.Frame(new byte[10]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(tooLong.AsSpan(1), 100_000_000);
        return
        [
            GrpcTestClient.Frame(wrongShape.ToByteArray()),
            GrpcTestClient.Frame(wrongType.ToByteArray()),
            GrpcTestClient.Frame(rawCountMismatch.ToByteArray()),
            GrpcTestClient.Frame(unknownModel.ToByteArray()),
            GrpcTestClient.Frame(garbage),
            GrpcTestClient.Frame([0xFF, 0xFF, 0xFF]),
            [0, 0, 0],
            tooLong,
            // A compressed-flag byte that is neither 0 nor 1 (flag 1 without grpc-encoding is INTERNAL, as gRPC's compression doc says).
            [2, 0, 0, 0, 1, 0],
        ];
    }
}
