using System.Diagnostics;
using System.Net.Http.Headers;
using RecOperator.Demo.Load;

namespace RecOperator.Demo.Tests.Resilience;

/// <summary>
/// The demo's open-loop Poisson load (<see cref="PoissonLoadGenerator"/>, <see cref="DemoRequests"/>) at one constant
/// rate, or a few phases of them, through the model's Service, with the demo's request: 20 candidates per user. <see cref="Elapsed"/> is on the
/// same clock as the outcomes' scheduled times, so a test can place what it did among them.
/// </summary>
internal sealed class SteadyLoad : IDisposable
{
    private readonly HttpClient _http;
    private readonly PoissonLoadGenerator _generator;
    private long _origin;

    public SteadyLoad(Uri modelAddress, string model, double rps, TimeSpan duration)
        : this(modelAddress, model, [new LoadPhase("steady", duration, rps, rps)])
    {
    }

    /// <summary>Constant rates one after the other (or ramps, as <see cref="LoadPhase"/> allows).</summary>
    public SteadyLoad(Uri modelAddress, string model, IReadOnlyList<LoadPhase> phases)
    {
        var bodies = DemoRequests.Create("user-candidate", 32, 20);
        _http = new HttpClient { BaseAddress = modelAddress, Timeout = TimeSpan.FromSeconds(10) };
        var next = 0;
        _generator = new PoissonLoadGenerator(new LoadProfile(phases), async ct =>
        {
            using var content = new ByteArrayContent(bodies[(int)((uint)Interlocked.Increment(ref next) % bodies.Count)]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync($"/v2/models/{model}/infer", content, ct);
            return response.IsSuccessStatusCode;
        });
    }

    public OutcomeLog Outcomes => _generator.Outcomes;

    /// <summary>Time since the load started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(Volatile.Read(ref _origin));

    public Task RunAsync(CancellationToken ct)
    {
        Volatile.Write(ref _origin, Stopwatch.GetTimestamp());
        return _generator.RunAsync(ct);
    }

    public void Dispose() => _http.Dispose();
}
