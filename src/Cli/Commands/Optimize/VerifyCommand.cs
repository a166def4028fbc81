using System.CommandLine;
using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.Onnx;

namespace RecOperator.Cli.Commands.Optimize;

/// <summary>
/// <c>recop optimize verify --reference A --candidate B [--dataset FILE] [--gate]</c>: the fidelity report over seeded
/// synthetic requests or a labelled dataset, and a quality gate for pipelines.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var reference = new Option<FileInfo>("--reference") { Description = "The model the candidate must follow", Required = true };
        var candidate = new Option<FileInfo>("--candidate") { Description = "The optimized model", Required = true };
        var requests = new Option<int>("--requests") { Description = "Seeded synthetic requests", DefaultValueFactory = _ => 32 };
        var candidates = new Option<int>("--candidates") { Description = "Candidates per request", DefaultValueFactory = _ => 100 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of requests and labels", DefaultValueFactory = _ => 7 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads of both sessions", DefaultValueFactory = _ => 1 };
        var dataset = new Option<FileInfo?>("--dataset")
        {
            Description = "JSON Lines file of requests with observed labels (docs/optimizer.md), scored instead of synthetic requests",
        };
        var gate = new Option<bool>("--gate") { Description = "Exit 1 when the candidate breaks a threshold" };
        var maxAucDrop = new Option<double?>("--max-auc-drop") { Description = "Gate: largest AUC drop allowed (default 0.001)" };
        var minTop10 = new Option<double?>("--min-top10") { Description = "Gate: smallest top-10 agreement allowed (default 0.95)" };
        var command = new Command("verify", "Compare a candidate model with its reference: errors, ranking agreement, AUC, log-loss, latency")
        {
            reference, candidate, requests, candidates, seed, dataset, threads, gate, maxAucDrop, minTop10,
        };
        command.SetAction((parse, ct) => OptimizeCommandRunner.RunAsync(parse, "verify", () =>
        {
            var thresholds = new FidelityGate();
            if (!parse.GetValue(gate) && (parse.GetValue(maxAucDrop) is not null || parse.GetValue(minTop10) is not null))
            {
                throw new ModelRejectedException("--max-auc-drop and --min-top10 are gate thresholds; add --gate to apply them");
            }
            if (parse.GetValue(dataset) is not null && new Option[] { requests, candidates, seed }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } synthetic)
            {
                throw new ModelRejectedException($"{synthetic.Name} shapes synthetic requests; with --dataset the requests come from the file, leave it out");
            }
            thresholds = thresholds with
            {
                MaxAucDrop = parse.GetValue(maxAucDrop) ?? thresholds.MaxAucDrop,
                MinTop10Agreement = parse.GetValue(minTop10) ?? thresholds.MinTop10Agreement,
            };
            var options = new FidelityOptions
            {
                Requests = parse.GetValue(requests), Candidates = parse.GetValue(candidates), Seed = parse.GetValue(seed), Threads = parse.GetValue(threads),
            };
            return VerifyAsync(parse, parse.GetValue(reference)!.FullName, parse.GetValue(candidate)!.FullName, parse.GetValue(dataset)?.FullName, options,
                parse.GetValue(gate) ? thresholds : null, ct);
        }));
        return command;
    }

    private static async Task<int> VerifyAsync(ParseResult parse, string referencePath, string candidatePath, string? datasetPath, FidelityOptions options,
        FidelityGate? gate, CancellationToken ct)
    {
        options.Validate();
        var referenceModel = ModelInput.Read(referencePath);
        var specs = InputSpecs.Of(referenceModel);
        InputSpecs.RequireCompatible(specs, InputSpecs.Of(ModelInput.Read(candidatePath)));
        // The whole file is checked before any model runs, so a bad line is reported at once with its line and field.
        var dataset = datasetPath is null ? null : await DatasetReader.ReadAsync(datasetPath, specs, ct).ConfigureAwait(false);
        var engine = OrtEngine.Create();
        FidelityReport report;
        using (var reference = SessionScorer.Load(engine, referencePath, options.Threads))
        using (var candidate = SessionScorer.Load(engine, candidatePath, options.Threads))
        {
            report = dataset is null
                ? FidelityRunner.Compare(reference, candidate, specs, options, ct)
                : FidelityRunner.CompareOnDataset(reference, candidate, dataset, Path.GetFileName(datasetPath!), options, ct);
        }
        var console = parse.InvocationConfiguration.Output;
        await console.WriteLineAsync(OptimizeCommandRunner.Describe(report)).ConfigureAwait(false);
        if (gate is null)
        {
            return 0;
        }
        var failures = gate.Failures(report);
        foreach (var failure in failures)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"optimize verify: gate failed: {failure}").ConfigureAwait(false);
        }
        if (failures.Count == 0)
        {
            await console.WriteLineAsync("gate passed").ConfigureAwait(false);
        }
        return failures.Count == 0 ? 0 : 1;
    }
}
