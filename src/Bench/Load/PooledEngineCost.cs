using System.Globalization;

namespace RecOperator.Bench.Load;

/// <summary>
/// (p)'s ratio with every raw-engine slice of the run pooled: pod CPU per row (mean of its runs) against the median
/// engine CPU per row over all slices at the same request size, whichever build's run they followed. The engine is the
/// same code in every slice, so their spread is the machine's; pooled, it no longer decides between two builds.
/// </summary>
public sealed class PooledEngineCost
{
    private readonly Dictionary<string, (int Rows, List<double> PodSecondsPerRow)> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<double>> _engineSecondsPerRow = [];

    public void Add(string key, int rows, double podSecondsPerRow, double engineSecondsPerRow)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_pods.TryGetValue(key, out var pod))
        {
            _pods[key] = pod = (rows, []);
        }
        pod.PodSecondsPerRow.Add(podSecondsPerRow);
        (_engineSecondsPerRow.TryGetValue(rows, out var engine) ? engine : _engineSecondsPerRow[rows] = []).Add(engineSecondsPerRow);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public IEnumerable<string> Lines()
    {
        foreach (var (key, (rows, pod)) in _pods)
        {
            var engine = _engineSecondsPerRow[rows];
            var median = Median(engine);
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{key,-24} pod / engine rows/CPU-s, engine pooled: {median / pod.Average():F2}x (pod {pod.Average() * 1e6:F2} us/row; median of {engine.Count} engine slices {median * 1e6:F2} us/row)");
        }
    }
}
