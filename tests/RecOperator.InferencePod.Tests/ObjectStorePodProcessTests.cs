using RecOperator.ModelOptimizer.Reference;
using static RecOperator.InferencePod.Tests.RecopProcess;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// `recop pod` as a real process with an s3:// or gs:// artifact: the standard variables in its environment reach
/// the fetcher, and the pod serves the downloaded model.
/// </summary>
public sealed class ObjectStorePodProcessTests
{
    [Fact]
    public async Task RecopPod_S3ArtifactFromAnS3CompatibleEndpoint_StartsAndServesIt()
    {
        var model = await TestModels.DlrmAsync();
        await using var s3 = await FakeS3Server.StartAsync();
        s3.SessionToken = "IQoJb3JpZ2luX2VjEXAMPLE";
        s3.Put("models", "dlrm/v1/dlrm-small.onnx", model.Path);
        var cache = Directory.CreateTempSubdirectory("recpod-s3-process-");

        await ServeAndInferAsync("s3://models/dlrm/v1/dlrm-small.onnx", model.Sha256, cache.FullName,
            ("AWS_ACCESS_KEY_ID", FakeS3Server.AccessKeyId), ("AWS_SECRET_ACCESS_KEY", FakeS3Server.SecretAccessKey),
            ("AWS_SESSION_TOKEN", s3.SessionToken), ("AWS_REGION", FakeS3Server.Region), ("AWS_DEFAULT_REGION", ""),
            ("AWS_ENDPOINT_URL_S3", ""), ("AWS_ENDPOINT_URL", s3.Endpoint));

        var request = s3.Requests.Should().ContainSingle().Subject;
        request.Target.Should().Be("/models/dlrm/v1/dlrm-small.onnx");
        request.Header("x-amz-security-token").Should().Be(s3.SessionToken);
        Directory.EnumerateFiles(cache.FullName).Should().ContainSingle();
        cache.Delete(recursive: true);
    }

    [Fact]
    public async Task RecopPod_GcsArtifactWithTheMetadataServersToken_StartsAndServesIt()
    {
        var model = await TestModels.DlrmAsync();
        await using var gcs = await FakeGcsServer.StartAsync();
        gcs.Put("models", "dlrm/dlrm-small.onnx", model.Path);
        var cache = Directory.CreateTempSubdirectory("recpod-gcs-process-");

        await ServeAndInferAsync("gs://models/dlrm/dlrm-small.onnx", model.Sha256, cache.FullName,
            ("STORAGE_EMULATOR_HOST", gcs.Host), ("GCE_METADATA_HOST", gcs.Host), ("GOOGLE_OAUTH_ACCESS_TOKEN", ""));

        gcs.ObjectRequests.Should().ContainSingle().Which.Header("authorization").Should().Be($"Bearer {gcs.AcceptedToken}");
        cache.Delete(recursive: true);
    }

    [Fact]
    public async Task RecopPod_Help_NamesTheObjectStoreSchemesAndTheirVariables()
    {
        using var process = Start(["pod", "--help"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();

        (await WaitForExitAsync(process, TimeSpan.FromSeconds(60))).Should().Be(0);
        (await stdout).Should().Contain("s3://BUCKET/KEY").And.Contain("AWS_ACCESS_KEY_ID").And.Contain("AWS_ENDPOINT_URL")
            .And.Contain("gs://BUCKET/OBJECT").And.Contain("GOOGLE_OAUTH_ACCESS_TOKEN").And.Contain("STORAGE_EMULATOR_HOST");
    }

    private static async Task ServeAndInferAsync(string artifact, string sha256, string cache, params (string Name, string Value)[] environment)
    {
        var (httpPort, grpcPort) = (FreePort(), FreePort());
        using var process = Start(["pod", "--model-name", "dlrm", "--artifact", artifact, "--sha256", sha256, "--cache-dir", cache,
            "--bind", "127.0.0.1", "--http-port", $"{httpPort}", "--grpc-port", $"{grpcPort}", "--threads", "1"], environment);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilAsync(async () => process.HasExited || await TryStatusAsync(rest, "/v2/health/ready") == System.Net.HttpStatusCode.OK,
                TimeSpan.FromSeconds(60));
            process.HasExited.Should().BeFalse($"the pod must start; it said: {(process.HasExited ? await stderr : "")}");
            var inputs = TestModels.Reference("dlrm-small").CreateInputs(4, new DeterministicRandom(11));

            (await InferJson.InferAsync(rest, "dlrm", inputs)).Should().HaveCount(4);
        }
        finally
        {
            KillIfRunning(process);
        }
    }
}
