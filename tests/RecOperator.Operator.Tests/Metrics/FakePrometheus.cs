using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace RecOperator.Operator.Tests.Metrics;

/// <summary>A small Prometheus stand-in on 127.0.0.1: answers /api/v1/query with canned JSON per query.</summary>
internal sealed class FakePrometheus : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakePrometheus(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, (int Status, string Body)> Answers { get; } = new();

    public ConcurrentQueue<(string Query, string? Authorization)> Requests { get; } = new();

    /// <summary>The <c>time</c> parameter of each query, in arrival order ("" when absent).</summary>
    public ConcurrentQueue<string> EvaluationTimes { get; } = new();

    public TimeSpan Delay { get; set; }

    /// <summary>When set, a query without exactly this Authorization header is refused with 401, as an auth proxy does.</summary>
    public string? RequiredAuthorization { get; set; }

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public static async Task<FakePrometheus> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakePrometheus(app);
        app.MapGet("/api/v1/query", async (HttpContext context) =>
        {
            var query = context.Request.Query["query"].ToString();
            var authorization = context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null;
            fake.Requests.Enqueue((query, authorization));
            if (fake.RequiredAuthorization is { } required && authorization != required)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await context.Response.WriteAsync("Unauthorized", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            fake.EvaluationTimes.Enqueue(context.Request.Query["time"].ToString());
            await Task.Delay(fake.Delay, context.RequestAborted).ConfigureAwait(false);
            var (status, body) = fake.Answers.TryGetValue(query, out var answer) ? answer : (200, Vector());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = new Uri(address + "/");
        return fake;
    }

    /// <summary>A vector answer with one series per value.</summary>
    public static string Vector(params string[] values) =>
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + string.Join(",", values.Select((v, i) => $"{{\"metric\":{{\"i\":\"{i}\"}},\"value\":[1700000000.1,\"{v}\"]}}"))
        + "]}}";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
