using RecOperator.ModelOptimizer.Fidelity;

namespace RecOperator.ModelOptimizer.Tests;

public sealed class RankingMetricsTests
{
    [Fact]
    public void Auc_PerfectAndReversedAndTied_OneZeroHalf()
    {
        bool[] labels = [false, false, true, true];
        RankingMetrics.Auc([0.1f, 0.2f, 0.8f, 0.9f], labels).Should().Be(1);
        RankingMetrics.Auc([0.9f, 0.8f, 0.2f, 0.1f], labels).Should().Be(0);
        RankingMetrics.Auc([0.5f, 0.5f, 0.5f, 0.5f], labels).Should().Be(0.5);
    }

    [Fact]
    public void TopKAgreement_OneSwapAcrossTheCut_LosesOneOfK()
    {
        float[] reference = [9, 8, 7, 6, 5];
        float[] candidate = [9, 8, 5, 6, 7.5f];

        RankingMetrics.TopKAgreement(reference, candidate, 3).Should().BeApproximately(2 / 3.0, 1e-12);
        RankingMetrics.TopKAgreement(reference, candidate, 50).Should().Be(1, "k is capped at the candidate count");
    }

    [Fact]
    public void Spearman_MonotoneAndReversed_PlusAndMinusOne()
    {
        float[] a = [1, 2, 3, 4];
        RankingMetrics.Spearman(a, [10, 20, 30, 400]).Should().BeApproximately(1, 1e-12);
        RankingMetrics.Spearman(a, [4, 3, 2, 1]).Should().BeApproximately(-1, 1e-12);
    }

    [Fact]
    public void LogLoss_ConfidentAndWrong_LargeButFinite()
    {
        RankingMetrics.LogLoss([0.5f], [true]).Should().BeApproximately(Math.Log(2), 1e-9);
        RankingMetrics.LogLoss([0f], [true]).Should().BeApproximately(-Math.Log(1e-7), 1e-6);
    }

    [Fact]
    public void Gate_AucDropAndTop10Broken_NamesBoth()
    {
        var report = new FidelityReport
        {
            Requests = 1, CandidatesPerRequest = 10, Seed = 1, MaxAbsError = 0, MeanAbsError = 0, Top10Agreement = 0.9, Top50Agreement = 1,
            Spearman = 1, ReferenceAuc = 0.8, CandidateAuc = 0.79, ReferenceLogLoss = 0, CandidateLogLoss = 0, ReferenceLatencyMs = 1, CandidateLatencyMs = 1,
        };

        var failures = new FidelityGate().Failures(report);

        failures.Should().HaveCount(2);
        failures[0].Should().Contain("AUC drop");
        failures[1].Should().Contain("top-10");
        new FidelityGate { MaxAucDrop = 0.02, MinTop10Agreement = 0.9 }.Failures(report).Should().BeEmpty();
    }
}
