namespace RecOperator.Bench.Suite;

/// <summary>Everything one `recop bench` run measured, for the markdown table and the JSON file.</summary>
public sealed record BenchReport
{
    public required DateTimeOffset Date { get; init; }
    public required string Machine { get; init; }
    public required bool Quick { get; init; }
    public HeadlineFigures? Headline { get; init; }
    public IReadOnlyList<BenchFigure> Figures { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];
}
