using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RecOperator.DevCluster.NodeAgent;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>Probe attempts against real listeners on 127.0.0.1: gRPC health over h2c, its TCP fallback, TCP connect, HTTP status codes.</summary>
public sealed class ProbeCheckerTests
{
    [Theory]
    [InlineData(1, "0", true)]
    [InlineData(2, "0", false)]
    [InlineData(1, "14", false)]
    public async Task GrpcHealthAsync_HealthService_SucceedsOnlyWhenServing(byte servingStatus, string grpcStatus, bool expected)
    {
        await using var app = await StartAsync(HttpProtocols.Http2, async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[] { 0, 0, 0, 0, 2, 0x08, servingStatus });
            context.Response.AppendTrailer("grpc-status", grpcStatus);
        });

        (await ProbeChecker.GrpcHealthAsync(Port(app), null, CancellationToken.None)).Should().Be(expected);
    }

    [Fact]
    public async Task GrpcHealthAsync_PortSpeaksOnlyHttp1_FallsBackToTcpConnect()
    {
        await using var app = await StartAsync(HttpProtocols.Http1, context => context.Response.WriteAsync("hello"));

        (await ProbeChecker.GrpcHealthAsync(Port(app), null, CancellationToken.None)).Should().BeTrue();
    }

    [Fact]
    public async Task GrpcHealthAsync_NothingListens_Fails()
    {
        var port = FreePort();

        (await ProbeChecker.GrpcHealthAsync(port, null, CancellationToken.None)).Should().BeFalse();
        (await ProbeChecker.TcpAsync(port, CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task TcpAsync_ListenerOpen_Succeeds()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        (await ProbeChecker.TcpAsync(((IPEndPoint)listener.LocalEndpoint).Port, CancellationToken.None)).Should().BeTrue();
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(302, true)]
    [InlineData(500, false)]
    public async Task HttpGetAsync_StatusCode_SucceedsFor2xxAnd3xx(int status, bool expected)
    {
        await using var app = await StartAsync(HttpProtocols.Http1, context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });

        (await ProbeChecker.HttpGetAsync(Port(app), "/healthz", CancellationToken.None)).Should().Be(expected);
    }

    private static async Task<WebApplication> StartAsync(HttpProtocols protocols, RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = protocols));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return app;
    }

    private static int Port(WebApplication app) => new Uri(app.Urls.First()).Port;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
