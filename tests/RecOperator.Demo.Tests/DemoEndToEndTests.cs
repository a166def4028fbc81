using RecOperator.Demo.Setup;
using RecOperator.Demo.View;

namespace RecOperator.Demo.Tests;

/// <summary>
/// The main job end to end, as `recop demo --duration 120 [--metrics-source prometheus]` runs it: DevCluster with its
/// node agent running real inference pod processes, the Service router, the operator and its autoscaler on direct
/// scraping or on a real Prometheus that finds the pods through DevCluster, and open-loop load with a 4x step and a drop. Tagged EndToEnd: scripts/test.sh runs it alone, after the other projects.
/// </summary>
[Collection(Resilience.EndToEndCollection.Name)]
public sealed class DemoEndToEndTests
{
    [Theory]
    [InlineData(DemoMetricsSource.Direct)]
    [InlineData(DemoMetricsSource.Prometheus)]
    [Trait("Category", "EndToEnd")]
    public async Task RunAsync_ShortDemo_ReplicasRiseAfterTheStepP99RecoversAndReplicasFallAfterTheDrop(DemoMetricsSource source)
    {
        var options = new DemoOptions
        {
            MetricsSource = source,
            Duration = TimeSpan.FromSeconds(120),
            ScaleDownStabilizationSeconds = 15,
            Tui = false,
            DataDirectory = Path.Combine(Path.GetTempPath(), "recop-demo-e2e-" + Guid.NewGuid().ToString("N")),
        };
        using var log = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));

        Demo.Summary.DemoSummary summary;
        try
        {
            summary = await new DemoRunner(options, new PlainFleetView(log), log).RunAsync(timeout.Token);
        }
        finally
        {
            Directory.Delete(options.DataDirectory, recursive: true);
        }

        var because = $"the demo's log:\n{log}";
        summary.MaxReplicas.Should().BeGreaterThan(summary.ReplicasBeforeStep, because);
        summary.RecoverySeconds.Should().NotBeNull(because).And.BeLessThanOrEqualTo(45, because);
        // Judged per 5 s window, not as one p99 over the rest of the step: scale events on this 2-core host still cause
        // stalls of about half a second (noted on the demo issue), and one would otherwise decide the whole result.
        // Judged on the direct run only: the requests take the same path in both runs (router, pods), so a second
        // judgement of it would test the same data plane again, not the metrics source.
        if (source == DemoMetricsSource.Direct)
        {
            summary.SloWindowsAfterRecovery.Should().BeGreaterThanOrEqualTo(0.5, because);
        }
        summary.FinalReplicas.Should().BeLessThan(summary.MaxReplicas, "replicas are given back once the load drops and the stabilization window passes; " + because);
        summary.Errors.Should().BeLessThanOrEqualTo(summary.Requests / 100, because);
        log.ToString().Should().Contain("decision:", because);
    }
}
