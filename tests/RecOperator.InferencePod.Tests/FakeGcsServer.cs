using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// GCS's JSON API media download (GET /storage/v1/b/BUCKET/o/OBJECT?alt=media, the object name percent-encoded
/// whole) with its JSON errors, and the GCE metadata server's token endpoint, on one 127.0.0.1 port: point
/// STORAGE_EMULATOR_HOST and GCE_METADATA_HOST at it. Private buckets need the bearer token the metadata server
/// hands out (or <see cref="AcceptedToken"/>); public buckets need none.
/// </summary>
internal sealed class FakeGcsServer : IAsyncDisposable
{
    private const string ObjectsPrefix = "/storage/v1/b/";
    private const string TokenPath = "/computeMetadata/v1/instance/service-accounts/default/token";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Bucket, string Name), string> _objects = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeGcsServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>host:port, as STORAGE_EMULATOR_HOST and GCE_METADATA_HOST are usually written.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The token the metadata server gives and private buckets accept; null: the metadata server answers 404.</summary>
    public string? AcceptedToken { get; set; } = "ya29.fake-metadata-token";

    public ConcurrentDictionary<string, bool> PublicBuckets { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public IReadOnlyList<RecordedRequest> MetadataRequests => [.. _requests.Where(r => r.Target.StartsWith(TokenPath, StringComparison.Ordinal))];

    public IReadOnlyList<RecordedRequest> ObjectRequests => [.. _requests.Where(r => r.Target.StartsWith(ObjectsPrefix, StringComparison.Ordinal))];

    public static async Task<FakeGcsServer> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeGcsServer(app);
        app.Run(server.AnswerAsync);
        await app.StartAsync();
        server.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        return server;
    }

    public void Put(string bucket, string name, string file) => _objects[(bucket, name)] = file;

    private async Task AnswerAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        _requests.Enqueue(new RecordedRequest(target, headers));
        if (target == TokenPath)
        {
            await TokenAsync(context, headers);
            return;
        }
        // BUCKET/o/OBJECT?alt=media, where OBJECT has no '/' of its own: the API wants the name encoded whole.
        var rest = target.StartsWith(ObjectsPrefix, StringComparison.Ordinal) ? target[ObjectsPrefix.Length..] : "";
        var parts = rest.Split('?', 2);
        var path = parts[0].Split('/');
        if (path.Length != 3 || path[1] != "o" || parts.Length != 2 || parts[1] != "alt=media")
        {
            await ErrorAsync(context, 404, $"Not Found: {target}");
            return;
        }
        var (bucket, name) = (Uri.UnescapeDataString(path[0]), Uri.UnescapeDataString(path[2]));
        var bearer = headers.TryGetValue("authorization", out var authorization) ? authorization : null;
        if (!PublicBuckets.ContainsKey(bucket) && (AcceptedToken is null || bearer != $"Bearer {AcceptedToken}"))
        {
            await ErrorAsync(context, bearer is null ? 401 : 403, bearer is null
                ? "Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object."
                : "Caller does not have storage.objects.get access to the Google Cloud Storage object.");
            return;
        }
        if (!_objects.TryGetValue((bucket, name), out var file))
        {
            await ErrorAsync(context, 404, $"No such object: {bucket}/{name}");
            return;
        }
        await context.Response.SendFileAsync(file);
    }

    private async Task TokenAsync(HttpContext context, Dictionary<string, string> headers)
    {
        if (headers.GetValueOrDefault("metadata-flavor") != "Google")
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("Missing required header: Metadata-Flavor");
            return;
        }
        if (AcceptedToken is null)
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["access_token"] = AcceptedToken,
            ["expires_in"] = 3599,
            ["token_type"] = "Bearer",
        }));
    }

    private static async Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["error"] = new Dictionary<string, object>
            {
                ["code"] = status,
                ["message"] = message,
                ["errors"] = new[] { new Dictionary<string, string> { ["message"] = message, ["domain"] = "global", ["reason"] = status == 404 ? "notFound" : "required" } },
            },
        }));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
