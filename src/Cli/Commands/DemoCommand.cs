using System.CommandLine;
using System.Globalization;
using RecOperator.Demo;
using RecOperator.Demo.Load;
using RecOperator.Demo.Setup;
using RecOperator.Demo.View;
using RecOperator.Observability.LocalPrometheus;
using Spectre.Console;

namespace RecOperator.Cli.Commands;

/// <summary>
/// <c>recop demo</c>: the whole loop on this machine (DevCluster, node agent, operator and autoscaler, the sample model
/// under a load profile with a 4x step) with a live view, ending with a summary. Exit 0 when the autoscaler answered
/// the step (more replicas, p99 back within the SLO), 1 otherwise.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<int>("--duration") { Description = "Seconds of load (warm-up, ramp, 4x step, drop)", DefaultValueFactory = _ => 150 };
        var noTui = new Option<bool>("--no-tui") { Description = "Plain log lines instead of the live view (for CI and logs)" };
        var summaryJson = new Option<string?>("--summary-json") { Description = "Write the summary as JSON to this file" };
        var keep = new Option<bool>("--keep") { Description = "Leave the cluster running at the end and print the kubectl command to inspect it" };
        var slo = new Option<double>("--slo-ms") { Description = "p99 latency SLO of the demo model in milliseconds", DefaultValueFactory = _ => 50 };
        var metricsSource = new Option<string>("--metrics-source")
        {
            Description = "direct: the operator scrapes the pods; prometheus: the demo starts Prometheus (scripts/setup-prometheus.sh installs it) and the autoscaler queries it",
            DefaultValueFactory = _ => "direct",
        };
        var command = new Command("demo", "Run the whole loop on this machine: DevCluster, node agent, operator, autoscaler, the sample model under load, live view")
        {
            duration, noTui, summaryJson, keep, slo, metricsSource,
        };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(duration) is < 30 or > 3600)
            {
                await error.WriteLineAsync($"--duration must be 30 to 3600 seconds (got {parse.GetValue(duration)})").ConfigureAwait(false);
                return 2;
            }
            if (parse.GetValue(slo) is <= 0 or > 10_000)
            {
                await error.WriteLineAsync($"--slo-ms must be above 0 and at most 10000 (got {parse.GetValue(slo)})").ConfigureAwait(false);
                return 2;
            }
            if (parse.GetValue(metricsSource) is not ("direct" or "prometheus"))
            {
                await error.WriteLineAsync($"--metrics-source must be direct or prometheus (got {parse.GetValue(metricsSource)})").ConfigureAwait(false);
                return 2;
            }
            if (parse.GetValue(metricsSource) == "prometheus" && PrometheusServer.FindBinary() is null)
            {
                await error.WriteLineAsync("--metrics-source prometheus: prometheus is not on PATH; install it with `bash scripts/setup-prometheus.sh`").ConfigureAwait(false);
                return 2;
            }
            var output = parse.InvocationConfiguration.Output;
            var options = new DemoOptions
            {
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                SloMs = parse.GetValue(slo),
                Tui = !parse.GetValue(noTui),
                SummaryJsonPath = parse.GetValue(summaryJson),
                Keep = parse.GetValue(keep),
                MetricsSource = parse.GetValue(metricsSource) == "prometheus" ? DemoMetricsSource.Prometheus : DemoMetricsSource.Direct,
            };
            IFleetView view = options.Tui && !Console.IsOutputRedirected ? new LiveFleetView(AnsiConsole.Console) : new PlainFleetView(output);
            var summary = await new DemoRunner(options, view, output).RunAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"summary: SLO {summary.SloMs} ms; replicas {summary.ReplicasBeforeStep} before the step, up to {summary.MaxReplicas}, {summary.FinalReplicas} at the end; " +
                $"recovered in {(summary.RecoverySeconds is { } r ? $"{r:F0} s" : "-")} (p99 after {(summary.P99AfterRecoveryMs is { } p ? $"{p:F1} ms" : "-")}); " +
                $"{summary.Requests} requests, {summary.Errors} errors; " +
                $"{summary.ProcessStalls.Count} stalls of the demo's own process over 100 ms{Longest(summary.ProcessStalls)}")).ConfigureAwait(false);
            return summary.RecoverySeconds is not null ? 0 : 1;
        });
        return command;
    }

    private static string Longest(IReadOnlyList<ProcessStall> stalls) =>
        stalls.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" (longest {stalls.Max(s => s.Milliseconds):F0} ms)");
}
