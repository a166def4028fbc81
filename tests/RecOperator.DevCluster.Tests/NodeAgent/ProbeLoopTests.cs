using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>
/// The probe loop's thresholds and timing on a manual clock, against real listeners on 127.0.0.1: each clock step is
/// exactly one probe attempt, so the test can say after which attempt each verdict must come.
/// </summary>
public sealed class ProbeLoopTests
{
    private static readonly V1Container Container = new()
    {
        Name = "web",
        Ports = [new V1ContainerPort { ContainerPort = 8080, Name = "http" }, new V1ContainerPort { ContainerPort = 9090, Name = "tcp" }],
    };

    [Fact]
    public async Task RunAsync_SuccessAndFailureThresholds_FlipReadyOnlyAfterEnoughConsecutiveResults()
    {
        bool[] answers = [true, true, true, false, false, false, false, true, true];
        var attempts = 0;
        await using var app = await StartHealthServerAsync(() => answers[Math.Min(Interlocked.Increment(ref attempts), answers.Length) - 1]);
        var clock = new ManualTimeProvider();
        var probe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = "http", Path = "/healthz" }, PeriodSeconds = 2, SuccessThreshold = 2, FailureThreshold = 3 };
        var verdicts = new List<(bool Ready, int AfterAttempt)>();
        using var stop = new CancellationTokenSource();

        var loop = Loop(probe, new Dictionary<int, int> { [8080] = Port(app) }, clock).RunAsync(ready =>
        {
            verdicts.Add((ready, Volatile.Read(ref attempts)));
            return Task.CompletedTask;
        }, stop.Token);
        for (var step = 1; step < answers.Length; step++)
        {
            await clock.WaitUntilPendingAsync();
            clock.Advance(TimeSpan.FromSeconds(2));
        }
        await clock.WaitUntilPendingAsync();
        await stop.CancelAsync();
        await FluentActions.Awaiting(() => loop).Should().ThrowAsync<OperationCanceledException>();

        attempts.Should().Be(answers.Length, "one attempt per period");
        verdicts.Should().Equal((true, 2), (false, 6), (true, 9));
    }

    [Fact]
    public async Task RunAsync_InitialDelay_FirstAttemptOnlyOnceItHasPassed()
    {
        var attempts = 0;
        await using var app = await StartHealthServerAsync(() =>
        {
            Interlocked.Increment(ref attempts);
            return true;
        });
        var clock = new ManualTimeProvider();
        var probe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 8080, Path = "/healthz" }, InitialDelaySeconds = 5, PeriodSeconds = 1 };
        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        _ = Loop(probe, new Dictionary<int, int> { [8080] = Port(app) }, clock).RunAsync(ok =>
        {
            ready.TrySetResult(ok);
            return Task.CompletedTask;
        }, stop.Token);
        await clock.WaitUntilPendingAsync();
        clock.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(200);
        var attemptsBefore = Volatile.Read(ref attempts);
        clock.Advance(TimeSpan.FromSeconds(1));
        var verdict = await ready.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();

        attemptsBefore.Should().Be(0);
        verdict.Should().BeTrue();
        attempts.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_TcpSocketProbeOnNamedPortWithListener_ReportsReady()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var probe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "tcp" }, PeriodSeconds = 1 };
        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        _ = Loop(probe, new Dictionary<int, int> { [9090] = ((IPEndPoint)listener.LocalEndpoint).Port }, new ManualTimeProvider()).RunAsync(ok =>
        {
            ready.TrySetResult(ok);
            return Task.CompletedTask;
        }, stop.Token);
        var verdict = await ready.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();

        verdict.Should().BeTrue();
    }

    private static ProbeLoop Loop(V1Probe probe, Dictionary<int, int> hostPorts, TimeProvider clock) =>
        new(probe, Container, hostPorts, new Dictionary<string, string>(), clock);

    /// <summary>Answers /healthz with 200 or 500 as <paramref name="healthy"/> says, once per request.</summary>
    private static async Task<WebApplication> StartHealthServerAsync(Func<bool> healthy)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.StatusCode = healthy() ? 200 : 500;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        return app;
    }

    private static int Port(WebApplication app) => new Uri(app.Urls.First()).Port;
}
