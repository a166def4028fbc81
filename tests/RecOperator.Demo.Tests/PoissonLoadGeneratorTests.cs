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
        var never = new TaskCompletionSource<bool>();
        var profile = new LoadProfile([new LoadPhase("flat", TimeSpan.FromSeconds(0.5), 200, 200)]);
        var generator = new PoissonLoadGenerator(profile, _ => never.Task, maxInFlight: 10);

        var run = generator.RunAsync(CancellationToken.None);
        await Task.Delay(700);
        never.SetResult(true);
        await run;

        var outcomes = generator.Outcomes.Snapshot();
        outcomes.Count(o => o.Ok).Should().Be(10);
        outcomes.Count(o => !o.Ok).Should().Be(outcomes.Count - 10).And.BeGreaterThan(30);
    }
}
