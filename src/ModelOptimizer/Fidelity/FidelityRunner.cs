using System.Diagnostics;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>
/// Scores the same seeded requests with a reference and a candidate and compares them. Labels are Bernoulli draws
/// from the reference's probabilities (seeded), so the reference's AUC is what a perfectly calibrated model would
/// show on such data and the candidate's AUC drop is the quality the optimization cost. On a dataset file the labels
/// are the observed ones instead.
/// </summary>
public static class FidelityRunner
{
    public static FidelityReport Compare(IRequestScorer reference, IRequestScorer candidate, IReadOnlyList<InputSpec> inputs,
        FidelityOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new DeterministicRandom(options.Seed);
        var requests = Enumerable.Range(0, options.Requests).Select(_ => SyntheticRequest.Create(inputs, options.Candidates, random)).ToList();
        var labelRandom = new DeterministicRandom(options.Seed ^ 0x5EED);
        return Run(reference, candidate, requests, (_, scores) => scores.Select(p => labelRandom.NextFloat() < p).ToArray(), options, null, cancellationToken);
    }

    /// <summary>The same comparison over a dataset's requests, with AUC and log-loss against its observed labels.</summary>
    public static FidelityReport CompareOnDataset(IRequestScorer reference, IRequestScorer candidate, IReadOnlyList<LabeledRequest> dataset,
        string datasetName, FidelityOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Run(reference, candidate, dataset.Select(d => d.Request).ToList(), (n, scores) => scores.Length == dataset[n].Labels.Length
            ? dataset[n].Labels
            : throw new Graph.ModelRejectedException($"{dataset[n].Where}: the reference model returns {scores.Length} scores, the line has {dataset[n].Labels.Length} labels"),
            options, datasetName, cancellationToken, dataset.Select(d => d.Where).ToList());
    }

    private static FidelityReport Run(IRequestScorer reference, IRequestScorer candidate, List<SyntheticRequest> requests,
        Func<int, float[], bool[]> labelsOf, FidelityOptions options, string? dataset, CancellationToken cancellationToken, IReadOnlyList<string>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        for (var i = 0; i < options.WarmupRequests; i++)
        {
            Timed(reference, candidate, requests, i % requests.Count, sources, cancellationToken);
        }
        var allReference = new List<float>();
        var allCandidate = new List<float>();
        var labels = new List<bool>();
        double maxError = 0, errorSum = 0, top10 = 0, top50 = 0, spearman = 0;
        var referenceTime = TimeSpan.Zero;
        var candidateTime = TimeSpan.Zero;
        for (var n = 0; n < requests.Count; n++)
        {
            var (r, c, referenceRun, candidateRun) = Timed(reference, candidate, requests, n, sources, cancellationToken);
            referenceTime += referenceRun;
            candidateTime += candidateRun;
            if (r.Length != c.Length)
            {
                throw new Graph.ModelRejectedException($"the reference returns {r.Length} scores per request and the candidate {c.Length}");
            }
            for (var i = 0; i < r.Length; i++)
            {
                var error = Math.Abs((double)r[i] - c[i]);
                maxError = Math.Max(maxError, error);
                errorSum += error;
            }
            labels.AddRange(labelsOf(n, r));
            top10 += RankingMetrics.TopKAgreement(r, c, 10);
            top50 += RankingMetrics.TopKAgreement(r, c, 50);
            spearman += RankingMetrics.Spearman(r, c);
            allReference.AddRange(r);
            allCandidate.AddRange(c);
        }
        var count = requests.Count;
        return new FidelityReport
        {
            Requests = count,
            CandidatesPerRequest = (int)Math.Round((double)allReference.Count / count),
            Seed = options.Seed,
            Dataset = dataset,
            MaxAbsError = maxError,
            MeanAbsError = errorSum / Math.Max(1, allReference.Count),
            Top10Agreement = top10 / count,
            Top50Agreement = top50 / count,
            Spearman = spearman / count,
            ReferenceAuc = RankingMetrics.Auc(allReference, labels),
            CandidateAuc = RankingMetrics.Auc(allCandidate, labels),
            ReferenceLogLoss = RankingMetrics.LogLoss(allReference, labels),
            CandidateLogLoss = RankingMetrics.LogLoss(allCandidate, labels),
            ReferenceLatencyMs = referenceTime.TotalMilliseconds / count,
            CandidateLatencyMs = candidateTime.TotalMilliseconds / count,
        };
    }

    private static (float[] Reference, float[] Candidate, TimeSpan ReferenceTime, TimeSpan CandidateTime) Timed(IRequestScorer reference,
        IRequestScorer candidate, List<SyntheticRequest> requests, int n, IReadOnlyList<string>? sources, CancellationToken cancellationToken)
    {
        try
        {
            var start = Stopwatch.GetTimestamp();
            var r = reference.Score(requests[n], cancellationToken);
            var referenceTime = Stopwatch.GetElapsedTime(start);
            start = Stopwatch.GetTimestamp();
            var c = candidate.Score(requests[n], cancellationToken);
            return (r, c, referenceTime, Stopwatch.GetElapsedTime(start));
        }
        catch (OrtException error) when (sources is not null)
        {
            // A dataset line the model cannot run (an id beyond its table, say) is bad input: name the line.
            throw new Graph.ModelRejectedException($"{sources[n]}: the models cannot score this request: {error.Message}");
        }
    }
}
