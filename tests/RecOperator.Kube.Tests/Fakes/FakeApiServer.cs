using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RecOperator.Kube.Tests.Fakes;

/// <summary>
/// A Kestrel server on 127.0.0.1 (port 0) that answers with whatever the test scripts: by default it routes to
/// <see cref="FakeCollection"/>s registered by path, and <see cref="Intercept"/> lets a test answer first.
/// Every request is recorded.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeCollection> _collections = new(StringComparer.Ordinal);

    private FakeApiServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Runs before the collections; returns true when it answered the request itself.</summary>
    public Func<HttpContext, Task<bool>>? Intercept { get; set; }

    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>Serves a Kubernetes-like collection at e.g. <c>/api/v1/namespaces/default/configmaps</c>.</summary>
    public FakeCollection AddCollection(string path, string kind, string apiVersion)
    {
        var collection = new FakeCollection(kind, apiVersion);
        _collections[path] = collection;
        return collection;
    }

    private async Task HandleAsync(HttpContext context)
    {
        context.Request.EnableBuffering();
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        context.Request.Body.Position = 0;
        Requests.Enqueue(new RecordedRequest(
            context.Request.Method, context.Request.Path + context.Request.QueryString, body,
            context.Request.ContentType, context.Request.Headers.Authorization.ToString()));

        if (Intercept is { } intercept && await intercept(context))
        {
            return;
        }

        var path = context.Request.Path.Value ?? "";
        foreach (var (prefix, collection) in _collections)
        {
            if (path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                await collection.HandleAsync(context, path[prefix.Length..].TrimStart('/'), body);
                return;
            }
        }

        await FakeResponses.WriteStatusAsync(context, 404, "NotFound", $"no route for {path}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var collection in _collections.Values)
        {
            collection.DropWatches();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
