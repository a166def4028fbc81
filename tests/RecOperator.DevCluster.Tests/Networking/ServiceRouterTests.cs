using System.Net;
using System.Net.Http.Headers;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.Networking;

/// <summary>Requests through the router's published port reach real backends: HTTP/1.1, gRPC over h2c with trailers, readiness and errors.</summary>
public sealed class ServiceRouterTests : IClassFixture<NetworkingCluster>, IAsyncLifetime
{
    private readonly NetworkingCluster _cluster;
    private readonly List<TestBackend> _backends = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public ServiceRouterTests(NetworkingCluster cluster) => _cluster = cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task Router_Http11Service_ForwardsPathAndBalancesAcrossReadyPods()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var (a, b) = (await StartBackendAsync("a"), await StartBackendAsync("b"));
        await _cluster.CreateServiceAsync(ns, "web", App("web"), new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" });
        await _cluster.CreatePodAsync(ns, "web-a", "web", 8080, a.Port, ready: true);
        await _cluster.CreatePodAsync(ns, "web-b", "web", 8080, b.Port, ready: true);
        var port = await _cluster.RouterPortAsync(ns, "web", "http");
        await WaitUntilAnsweredByAsync(port, "b");

        var bodies = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            bodies.Add(await _http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/v2/models?x=1")));
        }

        bodies.Should().OnlyContain(body => body.EndsWith(" GET /v2/models?x=1", StringComparison.Ordinal));
        bodies.Count(body => body.StartsWith("a ", StringComparison.Ordinal)).Should().Be(10, "round-robin alternates between the two ready pods");
    }

    [Fact]
    public async Task Router_GrpcPort_ForwardsHttp2AndPassesTrailersThrough()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var backend = await StartBackendAsync("g1", grpc: true);
        await _cluster.CreateServiceAsync(ns, "infer", App("infer"), new V1ServicePort { Name = "grpc", Port = 9000, TargetPort = "grpc" });
        await _cluster.CreatePodAsync(ns, "infer-1", "infer", 8081, backend.Port, ready: true, portName: "grpc");
        var port = await _cluster.RouterPortAsync(ns, "infer", "grpc");

        using var response = await SendGrpcAsync(port, "hello", untilOk: true);

        response.Version.Should().Be(HttpVersion.Version20);
        GrpcFrames.ReadSingle(await response.Content.ReadAsByteArrayAsync()).Should().Equal("g1:hello"u8.ToArray());
        response.TrailingHeaders.GetValues("grpc-status").Should().Equal("0");
        response.TrailingHeaders.GetValues("x-backend").Should().Equal("g1");
    }

    [Fact]
    public async Task Router_NoReadyEndpoints_Answers503AndGrpcUnavailable()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.CreateServiceAsync(ns, "empty", App("nothing"),
            new V1ServicePort { Name = "http", Port = 80 }, new V1ServicePort { Name = "grpc", Port = 9000, AppProtocol = "kubernetes.io/h2c" });
        var httpPort = await _cluster.RouterPortAsync(ns, "empty", "http");
        var grpcPort = await _cluster.RouterPortAsync(ns, "empty", "grpc");

        using var http = await _http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/"));
        using var grpc = await SendGrpcAsync(grpcPort, "x", untilOk: false);

        http.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await http.Content.ReadAsStringAsync()).Should().Contain("no ready endpoints");
        grpc.StatusCode.Should().Be(HttpStatusCode.OK, "gRPC carries its status in grpc-status, not in the HTTP code");
        grpc.Headers.GetValues("grpc-status").Should().Equal("14");
    }

    [Fact]
    public async Task Router_BackendTurnsNotReady_StopsReceivingTraffic()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var (a, b) = (await StartBackendAsync("a"), await StartBackendAsync("b"));
        await _cluster.CreateServiceAsync(ns, "web", App("web"), new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 });
        await _cluster.CreatePodAsync(ns, "web-a", "web", 8080, a.Port, ready: true);
        var podB = await _cluster.CreatePodAsync(ns, "web-b", "web", 8080, b.Port, ready: true);
        var port = await _cluster.RouterPortAsync(ns, "web", "http");
        await WaitUntilAnsweredByAsync(port, "b");

        await _cluster.SetReadyAsync(podB, ready: false);
        await WaitUntilOnlyAnsweredByAsync(port, "a");
        var before = b.Requests;
        for (var i = 0; i < 50; i++)
        {
            (await _http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"))).Should().StartWith("a ");
        }

        b.Requests.Should().Be(before, "a pod that is not ready gets no requests");
    }

    [Fact]
    public async Task Router_Restarted_ReusesPublishedPort()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var a = await StartBackendAsync("a");
        await _cluster.CreateServiceAsync(ns, "stable", App("stable"), new V1ServicePort { Port = 8000, TargetPort = 8080 });
        await _cluster.CreatePodAsync(ns, "stable-1", "stable", 8080, a.Port, ready: true);
        var port = await _cluster.RouterPortAsync(ns, "stable", "8000");
        await WaitUntilAnsweredByAsync(port, "a");

        await _cluster.RestartNetworkingAsync();

        await WaitUntilAnsweredByAsync(port, "a");
        (await _cluster.RouterPortAsync(ns, "stable", "8000")).Should().Be(port);
    }

    [Fact]
    public async Task Router_OneReadyEndpointRefusesConnections_EveryRequestIsServedWholeByTheOther()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var live = await StartBackendAsync("live", grpc: true);
        await _cluster.CreateServiceAsync(ns, "infer", App("infer"), new V1ServicePort { Name = "grpc", Port = 9000, TargetPort = "grpc" });
        // A pod whose process has just died: still listed as ready, nothing listening on its port.
        await _cluster.CreatePodAsync(ns, "infer-dead", "infer", 8081, ClosedPort(), ready: true, portName: "grpc");
        await _cluster.CreatePodAsync(ns, "infer-live", "infer", 8081, live.Port, ready: true, portName: "grpc");
        var port = await _cluster.RouterPortAsync(ns, "infer", "grpc");
        (await SendGrpcAsync(port, "warm", untilOk: true)).Dispose();

        var answers = new List<(string? Status, byte[] Message)>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await SendGrpcAsync(port, $"request-{i}", untilOk: false);
            answers.Add((response.TrailingHeaders.TryGetValues("grpc-status", out var status) ? status.Single() : null,
                GrpcFrames.ReadSingle(await response.Content.ReadAsByteArrayAsync())));
        }

        answers.Select(a => a.Status).Should().AllBe("0", "a refused connection sent nothing, so the request goes to the other endpoint");
        answers.Select(a => System.Text.Encoding.UTF8.GetString(a.Message)).Should().Equal(Enumerable.Range(0, 20).Select(i => $"live:request-{i}"),
            "the body reaches the second endpoint whole");
    }

    [Fact]
    public async Task Router_OnlyEndpointRefusesConnections_Answers502NamingIt()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var dead = ClosedPort();
        await _cluster.CreateServiceAsync(ns, "web", App("web"), new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 });
        await _cluster.CreatePodAsync(ns, "web-dead", "web", 8080, dead, ready: true);
        var port = await _cluster.RouterPortAsync(ns, "web", "http");
        HttpResponseMessage? response = null;
        await Support.Eventually.TrueAsync(async () =>
        {
            response?.Dispose();
            response = await _http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
            return response.StatusCode != HttpStatusCode.ServiceUnavailable;
        });

        using (response)
        {
            response!.StatusCode.Should().Be(HttpStatusCode.BadGateway);
            (await response.Content.ReadAsStringAsync()).Should().Contain($"backend 127.0.0.1:{dead} failed");
        }
    }

    /// <summary>A port nothing listens on: bound, read back and released.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<TestBackend> StartBackendAsync(string name, bool grpc = false)
    {
        var backend = await TestBackend.StartAsync(name, grpc);
        _backends.Add(backend);
        return backend;
    }

    private static Dictionary<string, string> App(string app) => new() { ["app"] = app };

    /// <summary>Endpoints and the router catch up asynchronously: poll until the expected backend answers.</summary>
    private async Task WaitUntilAnsweredByAsync(int port, string backend)
    {
        var answered = await Support.Eventually.TrueAsync(async () =>
        {
            try
            {
                using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
                return (await response.Content.ReadAsStringAsync()).StartsWith(backend + " ", StringComparison.Ordinal);
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });
        answered.Should().BeTrue($"backend {backend} should answer through 127.0.0.1:{port}");
    }

    private async Task WaitUntilOnlyAnsweredByAsync(int port, string backend)
    {
        var streak = 0;
        var settled = await Support.Eventually.TrueAsync(async () =>
        {
            var body = await _http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"));
            streak = body.StartsWith(backend + " ", StringComparison.Ordinal) ? streak + 1 : 0;
            return streak >= 10;
        });
        settled.Should().BeTrue($"only {backend} should answer once the other pod is not ready");
    }

    private async Task<HttpResponseMessage> SendGrpcAsync(int port, string message, bool untilOk)
    {
        HttpResponseMessage? response = null;
        await Support.Eventually.TrueAsync(async () =>
        {
            response?.Dispose();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/inference.GRPCInferenceService/ModelInfer"))
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(GrpcFrames.Frame(System.Text.Encoding.UTF8.GetBytes(message))),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            request.Headers.TE.ParseAdd("trailers");
            response = await _http.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return !untilOk || response.TrailingHeaders.Contains("grpc-status");
        });
        return response!;
    }
}
