using RecOperator.Demo.Setup;
using RecOperator.Demo.View;
using Xunit.Abstractions;

namespace RecOperator.Demo.Tests;

/// <summary>
/// The main job end to end, as `recop demo --duration 100 [--metrics-source prometheus]` runs it (with a 15 s scale-down stabilization): DevCluster with its
/// node agent running real inference pod processes, the Service router, the operator and its autoscaler on direct
/// scraping or on a real Prometheus that finds the pods through DevCluster, and open-loop load with a 4x step and a drop. Tagged EndToEnd: scripts/test.sh runs it alone, after the other projects.
/// </summary>
[Collection(DemoEndToEndCollection.Name)]
public sealed class DemoEndToEndTests(ITestOutputHelper output)
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
            // 100 s: a 35 s step and a 35 s drop. Measured (2026-11-25, both sources): the scale-up is ready 8-9 s into the
            // step and the scale-down comes 24 s into the drop (15 s stabilization after the demand estimate falls), so
            // both land with 10 s to spare; 120 s spent 40 s of the suite on waiting.
            Duration = TimeSpan.FromSeconds(100),
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
        summary.RecoverySeconds.Should().NotBeNull(because).And.BeLessThanOrEqualTo(30, because);
        output.WriteLine($"{source}: replicas {summary.ReplicasBeforeStep} before the step, {summary.MaxReplicas} at most, {summary.FinalReplicas} at the end; recovered {summary.RecoverySeconds:F0} s after the step");
        output.WriteLine($"{source}: {summary.SloWindowsAfterRecovery:P0} of the 5 s windows after recovery within the SLO; p99 after recovery {summary.P99AfterRecoveryMs:F1} ms");
        output.WriteLine("windows over the SLO: " + string.Join(", ", summary.P99Windows.Where(w => w.P99Ms > summary.SloMs).Select(w => $"{w.FromSeconds:F0} s {w.P99Ms:F0} ms")));
        output.WriteLine($"demo process stalls over 100 ms: {summary.ProcessStalls.Count}");
        foreach (var stall in summary.ProcessStalls)
        {
            output.WriteLine("  " + stall);
        }
        // Judged again since the stalls behind its failures were found: thread-pool starvation in this process (0.5 to 1 s,
        // no GC), gone with ThreadPoolFloor; the stalls are printed above either way.
        summary.SloWindowsAfterRecovery.Should().BeGreaterThanOrEqualTo(0.5, because);
        summary.FinalReplicas.Should().BeLessThan(summary.MaxReplicas, "replicas are given back once the load drops and the stabilization window passes; " + because);
        summary.Errors.Should().BeLessThanOrEqualTo(summary.Requests / 100, because);
        log.ToString().Should().Contain("decision:", because);
    }
}
