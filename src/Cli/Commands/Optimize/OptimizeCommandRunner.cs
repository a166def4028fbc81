using System.CommandLine;
using System.Globalization;
using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.Onnx;

namespace RecOperator.Cli.Commands.Optimize;

/// <summary>
/// Exit codes of every `optimize` subcommand: 0 done, 1 failure (engine missing, I/O, gate refused), 2 bad input
/// (non-ONNX file, op that cannot be transformed, inconsistent flags) with nothing written.
/// </summary>
internal static class OptimizeCommandRunner
{
    public const int BadInput = 2;

    public static async Task<int> RunAsync(ParseResult parse, string command, Func<Task<int>> body)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (ModelRejectedException rejected)
        {
            await error.WriteLineAsync($"optimize {command}: {rejected.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (FidelityGateException refused)
        {
            if (refused.Report is { } report)
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(Describe(report)).ConfigureAwait(false);
            }
            foreach (var failure in refused.Failures)
            {
                await error.WriteLineAsync($"optimize {command}: gate failed: {failure}").ConfigureAwait(false);
            }
            await error.WriteLineAsync($"optimize {command}: nothing was written; --no-gate writes the model anyway").ConfigureAwait(false);
            return 1;
        }
        catch (InferenceInputException failure)
        {
            // The written model did not accept the fidelity check's requests: a failure of the transform, said in one
            // line rather than a stack trace.
            await error.WriteLineAsync($"optimize {command}: the written model could not be checked: {failure.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception failure) when (failure is OrtLibraryNotFoundException or OrtException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"optimize {command}: {failure.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Runs a transform through the pipeline and prints the artifact, its fidelity and the variant entry.</summary>
    public static async Task<int> TransformAsync(ParseResult parse, IModelTransform transform, PipelineOptions options, CancellationToken ct)
    {
        var result = await OptimizationPipeline.RunAsync(transform, options, OrtEngine.Create(), ct).ConfigureAwait(false);
        return await PrintAsync(parse, result).ConfigureAwait(false);
    }

    public static async Task<int> PrintAsync(ParseResult parse, PipelineResult result)
    {
        var console = parse.InvocationConfiguration.Output;
        var m = result.Manifest;
        await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"wrote {result.ModelPath} ({m.SizeBytes:N0} bytes, {m.Precision}, sha256 {m.Sha256})")).ConfigureAwait(false);
        foreach (var (key, value) in m.Summary)
        {
            await console.WriteLineAsync($"  {key}: {value}").ConfigureAwait(false);
        }
        if (m.Fidelity is { } f)
        {
            await console.WriteLineAsync(Describe(f)).ConfigureAwait(false);
        }
        await console.WriteLineAsync($"wrote {result.ManifestPath}").ConfigureAwait(false);
        await console.WriteLineAsync("RecModel variants entry:").ConfigureAwait(false);
        await console.WriteAsync(result.VariantYaml).ConfigureAwait(false);
        return 0;
    }

    public static string Describe(FidelityReport f) => (f.Dataset is null
            ? string.Create(CultureInfo.InvariantCulture, $"fidelity over {f.Requests} requests x {f.CandidatesPerRequest} candidates: ")
            : string.Create(CultureInfo.InvariantCulture, $"fidelity over {f.Requests} requests of dataset {f.Dataset} (about {f.CandidatesPerRequest} candidates each, labels from the dataset): "))
        + string.Create(CultureInfo.InvariantCulture,
        $"max abs error {f.MaxAbsError:E2}, mean {f.MeanAbsError:E2}, " +
        $"top-10 {f.Top10Agreement:F4}, top-50 {f.Top50Agreement:F4}, spearman {f.Spearman:F4}, " +
        $"AUC {f.ReferenceAuc:F5} -> {f.CandidateAuc:F5} (drop {f.AucDrop:F5}), log-loss {f.ReferenceLogLoss:F5} -> {f.CandidateLogLoss:F5}, " +
        $"latency {f.ReferenceLatencyMs:F3} ms -> {f.CandidateLatencyMs:F3} ms (ratio {f.LatencyRatio:F3})");
}
