using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RecOperator.ModelOptimizer.Reference;
using static RecOperator.InferencePod.Tests.RecopProcess;

namespace RecOperator.InferencePod.Tests;

/// <summary>`recop pod` as a real process: start-up errors, SIGTERM and the shutdown grace period.</summary>
public sealed class PodProcessTests
{
    [Fact]
    public async Task RecopPod_BadSettingFromEnvironment_ExitsNonZeroNamingTheSetting()
    {
        using var process = Start(["pod", "--model-name", "m", "--artifact", "/nonexistent.onnx"], ("RECPOD_MAX_BATCH_SIZE", "0"));
        var stderr = process.StandardError.ReadToEndAsync();

        (await WaitForExitAsync(process, TimeSpan.FromSeconds(60))).Should().Be(2);
        (await stderr).Should().Contain("--max-batch-size (RECPOD_MAX_BATCH_SIZE): 0 must be 1 to 65536");
    }

    [Fact]
    public async Task RecopPod_Help_ExplainsArtifactCaAndShutdownGrace()
    {
        using var process = Start(["pod", "--help"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();

        (await WaitForExitAsync(process, TimeSpan.FromSeconds(60))).Should().Be(0);
        var help = await stdout;
        help.Should().Contain("--artifact-ca").And.Contain("RECPOD_ARTIFACT_CA").And.Contain("SSL_CERT_FILE");
        help.Should().Contain("--shutdown-grace-seconds").And.Contain("cut off");
    }

    [Fact]
    public async Task RecopPod_CudaOnACpuOnlyCore_ExitsOneSayingHowToGetTheGpuLibraries()
    {
        var model = await TestModels.DlrmAsync();
        using var process = Start(["pod", "--model-name", "dlrm", "--artifact", model.Path, "--bind", "127.0.0.1", "--http-port", "0", "--grpc-port", "0"],
            ("RECPOD_EXECUTION_PROVIDER", "Cuda"));
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();

        (await WaitForExitAsync(process, TimeSpan.FromSeconds(60))).Should().Be(1);
        (await stderr).Should().Contain("execution provider 'Cuda' is not available").And.Contain("setup-onnxruntime.sh --gpu");
    }

    [Fact]
    public async Task RecopPod_UserInputsNamingAnInputTheModelLacks_ExitsOneNamingItAndTheModelsInputs()
    {
        var model = await TestModels.UserCandidateAsync();
        using var process = Start(["pod", "--model-name", "m", "--artifact", model.Path, "--bind", "127.0.0.1", "--http-port", "0", "--grpc-port", "0"],
            ("RECPOD_USER_INPUTS", "user_dense,user_age"));
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();

        (await WaitForExitAsync(process, TimeSpan.FromSeconds(60))).Should().Be(1);
        var message = await stderr;
        message.Should().Contain("--user-inputs (RECPOD_USER_INPUTS) names 'user_age', which the model does not take; its inputs are: ")
            .And.Contain("user_history");
        message.Should().NotContain("   at ", "a start-up refusal is a message, not a stack trace");
    }

    [Theory]
    [InlineData(Onnx.TensorElementType.UInt16, "input 'in' holds UInt16 elements")]
    [InlineData(Onnx.TensorElementType.String, "input 'in' holds String elements")]
    public async Task RecopPod_ModelWithATensorTypeItDoesNotServe_ExitsOneNamingTheTensor(Onnx.TensorElementType type, string named)
    {
        var folder = Directory.CreateTempSubdirectory("recpod-types-").FullName;
        var path = Path.Combine(folder, "identity.onnx");
        var graph = new Onnx.Model.OnnxGraphBuilder("identity").Input("in", type, "batch", 3).Output("out", type, "batch", 3);
        graph.NodeNamed("Identity", "out", ["in"]);
        await File.WriteAllBytesAsync(path, Google.Protobuf.MessageExtensions.ToByteArray(graph.Build("tests")));
        using var process = Start(["pod", "--model-name", "m", "--artifact", path, "--bind", "127.0.0.1", "--http-port", "0", "--grpc-port", "0"]);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();

        (await WaitForExitAsync(process, TimeSpan.FromSeconds(60))).Should().Be(1);
        var message = await stderr;
        message.Should().Contain(named).And.Contain("its tensors may be BOOL, UINT8, INT8, INT32, INT64, FP16, FP32, FP64");
        message.Should().NotContain("Unhandled exception").And.NotContain("   at ", "a start-up refusal is a message, not a stack trace");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task RecopPod_CudaPluginLibraryThatDoesNotLoad_ExitsOneNamingTheLibrary()
    {
        // A host where the provider cannot load (on a real one, its CUDA libraries are missing): a file that is no
        // library at all stands in for it.
        var model = await TestModels.DlrmAsync();
        var plugin = Path.Combine(Directory.CreateTempSubdirectory("recpod-plugin-").FullName, "libonnxruntime_providers_cuda.so");
        await File.WriteAllTextAsync(plugin, "not a shared library");
        using var process = Start(["pod", "--model-name", "dlrm", "--artifact", model.Path, "--bind", "127.0.0.1", "--http-port", "0", "--grpc-port", "0",
            "--execution-provider", "Cuda", "--device-id", "0"], ("RECPOD_EXECUTION_PROVIDER_LIBRARY", plugin));
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();

        (await WaitForExitAsync(process, TimeSpan.FromSeconds(60))).Should().Be(1);
        (await stderr).Should().Contain($"its plugin library '{plugin}' did not load");
        Directory.Delete(Path.GetDirectoryName(plugin)!, recursive: true);
    }

    [Fact]
    public async Task RecopPod_Sigterm_ReadinessFalseInFlightFinishesThenExitsZero()
    {
        var model = await TestModels.DlrmAsync();
        var (httpPort, grpcPort) = (FreePort(), FreePort());
        using var process = StartPod(model.Path, httpPort, grpcPort, "--sha256", model.Sha256, "--max-batch-size", "1", "--drain-delay-ms", "1000");
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilReadyAsync(rest);
            var heavy = InferJson.Request(TestModels.Reference("dlrm-small").CreateInputs(2048, new DeterministicRandom(9)));
            var inFlight = Enumerable.Range(0, 4).Select(_ => rest.PostAsync("/v2/models/dlrm/infer", InferJson.Content(heavy))).ToArray();
            await Task.Delay(100);

            Terminate(process);

            await WaitUntilAsync(async () => (await TryStatusAsync(rest, "/v2/health/ready")) == HttpStatusCode.BadRequest, TimeSpan.FromSeconds(5));
            foreach (var response in await Task.WhenAll(inFlight))
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                response.Dispose();
            }
            (await WaitForExitAsync(process, TimeSpan.FromSeconds(20))).Should().Be(0);
            var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Should().OnlyContain(line => IsJson(line), "logs are JSON lines");
            lines.Should().Contain(line => line.Contains("draining", StringComparison.Ordinal));
            lines.Should().NotContain(line => line.Contains("grace period", StringComparison.Ordinal), "every request finished within the grace period");
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    [Fact]
    public async Task RecopPod_Ready_WatchesNoFiles()
    {
        var model = await TestModels.DlrmAsync();
        var (httpPort, grpcPort) = (FreePort(), FreePort());
        using var process = StartPod(model.Path, httpPort, grpcPort, "--drain-delay-ms", "0");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilReadyAsync(rest);

            // The host's configuration would otherwise watch the working directory for appsettings.json changes: a
            // thread and an inotify handle for the pod's whole life, woken by any file written there.
            var handles = Directory.GetFiles($"/proc/{process.Id}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "").ToList();
            handles.Should().Contain(h => h.StartsWith("socket:", StringComparison.Ordinal), "the listening ports are among the handles read");
            handles.Should().NotContain(h => h.Contains("inotify", StringComparison.Ordinal));
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    [Fact]
    public async Task RecopPod_RequestOutlastsShutdownGrace_CutsItOffAndExitsInTimeSayingSo()
    {
        var model = await TestModels.DlrmAsync();
        var (httpPort, grpcPort) = (FreePort(), FreePort());
        using var process = StartPod(model.Path, httpPort, grpcPort, "--drain-delay-ms", "0", "--shutdown-grace-seconds", "2");
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilReadyAsync(rest);
            // A request whose body arrives 100 bytes every 100 ms for a minute: in flight far past the grace period,
            // yet fast enough for Kestrel's minimum request body data rate, so only the grace period can end it.
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, httpPort);
            using var trickling = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var sentWhole = TrickleRequestAsync(client.GetStream(), 60_000, trickling.Token);
            await WaitUntilAsync(async () => (await rest.GetStringAsync("/metrics")).Split('\n')
                .Any(l => l.StartsWith("recpod_inflight", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));

            var terminated = Stopwatch.StartNew();
            Terminate(process);

            (await WaitForExitAsync(process, TimeSpan.FromSeconds(20))).Should().Be(0);
            terminated.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the grace period (2 s) bounds the shutdown, not the minute-long request");
            (await sentWhole).Should().BeFalse("the pod cut the connection of the request still in flight");
            var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Should().OnlyContain(line => IsJson(line), "logs are JSON lines");
            lines.Should().ContainSingle(line => line.Contains("shutdown grace period of 2 s is over", StringComparison.Ordinal));
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    /// <summary>Sends a POST of <paramref name="bodyBytes"/> spaces a little at a time; false when the server cut the connection first.</summary>
    private static async Task<bool> TrickleRequestAsync(NetworkStream stream, int bodyBytes, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /v2/models/dlrm/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {bodyBytes}\r\n\r\n"),
                cancellationToken);
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 100));
            for (var sent = 0; sent < bodyBytes; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk, cancellationToken);
                await Task.Delay(100, cancellationToken);
            }
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
