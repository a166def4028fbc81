using RecOperator.Onnx;

namespace RecOperator.InferencePod.Model;

/// <summary>
/// Decides at load time whether a split candidate model may batch requests of different users: it scores two users
/// separately ([1, width] user rows, broadcast by the graph) and together (each user row repeated per candidate), and
/// allows joining only when both give the same scores. A graph that mixes rows (a MatMul over the candidate axis,
/// say) fails the probe and is served one request per call, which is always correct.
/// </summary>
internal static class SplitTilingProbe
{
    private const int FirstUserRows = 2;
    private const int SecondUserRows = 1;

    public static bool TiledRowsScoreAlike(IInferenceSession candidate, IReadOnlyList<string> userOutputs, CancellationToken cancellationToken)
    {
        try
        {
            var random = new Random(17);
            var users = candidate.Inputs.Where(i => userOutputs.Contains(i.Name))
                .ToDictionary(i => i.Name, i => (First: ProbeRows.Fill(i, 1, random), Second: ProbeRows.Fill(i, 1, random)), StringComparer.Ordinal);
            var candidates = candidate.Inputs.Where(i => !userOutputs.Contains(i.Name))
                .ToDictionary(i => i.Name, i => ProbeRows.Fill(i, FirstUserRows + SecondUserRows, random), StringComparer.Ordinal);
            // Apart: each user's row as the pod sends it without joining, [1, width].
            var first = Values(candidate, n => users.TryGetValue(n, out var u) ? u.First.Data : ProbeRows.Slice(candidates[n], false, 0, FirstUserRows).Data, cancellationToken);
            var second = Values(candidate, n => users.TryGetValue(n, out var u) ? u.Second.Data : ProbeRows.Slice(candidates[n], false, FirstUserRows, SecondUserRows).Data, cancellationToken);
            // Joined: both requests in one call, each user row repeated once per candidate of its request.
            var joined = Values(candidate, n => users.TryGetValue(n, out var u)
                ? [.. ProbeRows.Slice(u.First, true, 0, FirstUserRows).Data, .. ProbeRows.Slice(u.Second, true, 0, SecondUserRows).Data]
                : ProbeRows.Slice(candidates[n], false, 0, FirstUserRows + SecondUserRows).Data, cancellationToken);
            return joined.Length == first.Length && Enumerable.Range(0, joined.Length).All(o => Alike(joined[o], [.. first[o], .. second[o]]));
        }
        catch (OrtException)
        {
            return false;
        }
        catch (InferenceInputException)
        {
            return false;
        }
    }

    private static bool Alike(float[] actual, float[] expected) =>
        actual.Length == expected.Length && actual.Zip(expected).All(p => MathF.Abs(p.First - p.Second) <= 1e-5f * Math.Max(1f, MathF.Abs(p.Second)));

    private static float[][] Values(IInferenceSession session, Func<string, float[]> rowsOf, CancellationToken cancellationToken) =>
        [.. ProbeRows.Run(session, input => rowsOf(input.Name), cancellationToken).Select(o => o.Values)];
}
