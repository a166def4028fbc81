using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RecOperator.DevCluster.Tests.Networking;

/// <summary>
/// A real Kestrel backend on 127.0.0.1 standing in for a pod process. HTTP/1.1 answers its name; the HTTP/2
/// one is a minimal gRPC server: it echoes the request message prefixed with its name in one gRPC frame and
/// ends with the trailers grpc-status 0 and x-backend, as a real gRPC server does.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private TestBackend(WebApplication app, string name) => (_app, Name) = (app, name);

    public string Name { get; }

    public int Port { get; private set; }

    /// <summary>Requests this backend has answered.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<TestBackend> StartAsync(string name, bool grpc = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = grpc ? HttpProtocols.Http2 : HttpProtocols.Http1));
        var app = builder.Build();
        var backend = new TestBackend(app, name);
        app.Run(grpc ? backend.AnswerGrpcAsync : backend.AnswerHttpAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    private async Task AnswerHttpAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        context.Response.Headers["x-backend"] = Name;
        await context.Response.WriteAsync($"{Name} {context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
    }

    private async Task AnswerGrpcAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var message = GrpcFrames.ReadSingle(buffer.ToArray());
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(GrpcFrames.Frame([.. System.Text.Encoding.UTF8.GetBytes(Name + ":"), .. message]));
        context.Response.AppendTrailer("grpc-status", "0");
        context.Response.AppendTrailer("x-backend", Name);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
