using System.CommandLine;
using RecOperator.Bench.Suite;

namespace RecOperator.Cli.Commands;

/// <summary>
/// <c>recop bench [--quick] [--out FILE] [--json FILE] [--sections LIST]</c>: the benchmark suite in one run on this
/// machine, written as a markdown table (bench/results/DATE.md by default) and optionally as JSON.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Shorter steps (2 s): every section in a few minutes" };
        var output = new Option<string?>("--out") { Description = "Markdown table to write (default bench/results/<date>[-quick].md)" };
        var json = new Option<string?>("--json") { Description = "Also write every figure as JSON, the headline under \"headline\"" };
        var sections = new Option<string?>("--sections")
        {
            Description = $"Comma-separated subset of: {string.Join(", ", BenchOptions.AllSections)} (default all)",
        };
        var command = new Command("bench", "Benchmark suite: the paper's headline claim (baseline vs optimized pod under the same Poisson load), " +
            "component ratios, per-core anchors, the autoscaler simulator vs HPA, and GPU figures where CUDA is available")
        {
            quick, output, json, sections,
        };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var options = (parse.GetValue(quick) ? BenchOptions.QuickRun : new BenchOptions()) with
            {
                RepositoryRoot = RecOperator.DevCluster.NodeAgent.RepositoryRoot.Find(),
            };
            if (parse.GetValue(sections) is { } list)
            {
                var chosen = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                var unknown = chosen.Where(s => !BenchOptions.AllSections.Contains(s)).ToList();
                if (chosen.Count == 0 || unknown.Count > 0)
                {
                    await error.WriteLineAsync($"bench: --sections: unknown section '{(unknown.Count > 0 ? string.Join(", ", unknown) : list)}'; " +
                        $"known: {string.Join(", ", BenchOptions.AllSections)}").ConfigureAwait(false);
                    return 2;
                }
                options = options with { Sections = chosen };
            }
            var report = await BenchSuite.RunAsync(options, Path.Combine(AppContext.BaseDirectory, "recop.dll"), parse.InvocationConfiguration.Output, ct)
                .ConfigureAwait(false);
            var markdownPath = parse.GetValue(output)
                ?? Path.Combine(options.RepositoryRoot, "bench", "results", $"{report.Date:yyyy-MM-dd}{(report.Quick ? "-quick" : "")}.md");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(markdownPath))!);
            await File.WriteAllTextAsync(markdownPath, BenchReportWriter.Markdown(report), ct).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"bench: wrote {markdownPath}").ConfigureAwait(false);
            if (parse.GetValue(json) is { } jsonPath)
            {
                await File.WriteAllTextAsync(jsonPath, BenchReportWriter.Json(report), ct).ConfigureAwait(false);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"bench: wrote {jsonPath}").ConfigureAwait(false);
            }
            await parse.InvocationConfiguration.Output.WriteLineAsync(BenchReportWriter.Markdown(report)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
