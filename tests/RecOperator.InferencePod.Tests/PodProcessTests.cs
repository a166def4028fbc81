using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

/// <summary>`recop pod` as a real process: start-up errors and SIGTERM.</summary>
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
        using var process = Start(["pod", "--model-name", "dlrm", "--artifact", model.Path, "--sha256", model.Sha256, "--bind", "127.0.0.1",
            "--http-port", $"{httpPort}", "--grpc-port", $"{grpcPort}", "--max-batch-size", "1", "--threads", "1", "--drain-delay-ms", "1000"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilAsync(async () => (await TryStatusAsync(rest, "/v2/health/ready")) == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
            var heavy = InferJson.Request(TestModels.Reference("dlrm-small").CreateInputs(2048, new DeterministicRandom(9)));
            var inFlight = Enumerable.Range(0, 4).Select(_ => rest.PostAsync("/v2/models/dlrm/infer", InferJson.Content(heavy))).ToArray();
            await Task.Delay(100);

            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

            await WaitUntilAsync(async () => (await TryStatusAsync(rest, "/v2/health/ready")) == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5));
            foreach (var response in await Task.WhenAll(inFlight))
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                response.Dispose();
            }
            (await WaitForExitAsync(process, TimeSpan.FromSeconds(20))).Should().Be(0);
            var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Should().OnlyContain(line => IsJson(line), "logs are JSON lines");
            lines.Should().Contain(line => line.Contains("draining", StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process Start(string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "recop.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }

    private static async Task<int> WaitForExitAsync(Process process, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    private static async Task<HttpStatusCode?> TryStatusAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            stopwatch.Elapsed.Should().BeLessThan(limit, "the pod must reach the expected state in time");
            await Task.Delay(50);
        }
    }

    private static bool IsJson(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
