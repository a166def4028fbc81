using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RecOperator.Demo.Load;

namespace RecOperator.Demo.Tests;

public sealed class PoissonLoadGeneratorTests
{
    [Fact]
    public async Task RunAsync_RealServerOver127001_SendsAboutTheProfilesRequestsAndRecordsFailures()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        var served = 0;
        // Every fifth request fails, so the log must tell failures from answers.
        app.MapPost("/infer", () => Interlocked.Increment(ref served) % 5 == 0 ? Results.StatusCode(503) : Results.Ok());
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var profile = new LoadProfile([new LoadPhase("flat", TimeSpan.FromSeconds(2), 100, 100)]);
        var generator = new PoissonLoadGenerator(profile, async ct =>
        {
            using var response = await http.PostAsync("/infer", null, ct);
            return response.IsSuccessStatusCode;
        });

        await generator.RunAsync(CancellationToken.None);

        var outcomes = generator.Outcomes.Snapshot();
        outcomes.Should().HaveCountGreaterThan(120).And.HaveCountLessThan(290, "Poisson arrivals at 100/s for 2 s");
        outcomes.Should().HaveCount(served);
        outcomes.Count(o => !o.Ok).Should().Be(served / 5);
        outcomes.Should().OnlyContain(o => o.ScheduledAt < TimeSpan.FromSeconds(2) && o.LatencyMs >= 0);
    }

    [Fact]
    public async Task RunAsync_ServerNeverAnswers_RequestsOverTheInFlightCapCountAsErrors()
    {
        // The server holds every request until the test has seen 30 refusals; the run's schedule may lag its clock on a
        // loaded machine, so the release waits on what happened, not on a fixed delay.
        var never = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (callsHeld, callsAfter) = (0, 0);
        var profile = new LoadProfile([new LoadPhase("flat", TimeSpan.FromSeconds(0.5), 200, 200)]);
        var generator = new PoissonLoadGenerator(profile, _ =>
        {
            Interlocked.Increment(ref never.Task.IsCompleted ? ref callsAfter : ref callsHeld);
            return never.Task;
        }, maxInFlight: 10);

        var run = generator.RunAsync(CancellationToken.None);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (generator.Outcomes.Snapshot().Count(o => !o.Ok) < 30 && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20);
        }
        never.SetResult(true);
        await run;

        var outcomes = generator.Outcomes.Snapshot();
        callsHeld.Should().Be(10, "no more than the cap reach the server while it holds them");
        outcomes.Count(o => o.Ok).Should().Be(10 + callsAfter);
        outcomes.Count(o => !o.Ok).Should().BeGreaterThanOrEqualTo(30, "arrivals over the cap are refused at once, not queued");
    }
}
