using System.Globalization;

namespace RecOperator.Bench.Onnx;

/// <summary>What to measure: <c>--quick</c> for a short smoke run, <c>--seconds S</c> per cell, <c>--model NAME</c> to pick one.</summary>
internal sealed record BenchmarkOptions(double SecondsPerCell, IReadOnlyList<int> Batches, IReadOnlyList<int> Threads, IReadOnlyList<string> Models)
{
    public static BenchmarkOptions Parse(string[] args, IReadOnlyList<string> knownModels)
    {
        var quick = args.Contains("--quick");
        var seconds = quick ? 0.3 : 2.0;
        var models = knownModels;
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--seconds")
            {
                seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--model")
            {
                models = [args[i + 1]];
            }
        }
        int[] batches = quick ? [1, 64, 1024, 4096] : [1, 16, 64, 256, 1024, 4096];
        return new BenchmarkOptions(seconds, batches, [1, 2], models);
    }
}
