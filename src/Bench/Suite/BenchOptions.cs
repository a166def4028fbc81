namespace RecOperator.Bench.Suite;

/// <summary>How long and how hard `recop bench` measures. Quick keeps every section, with shorter steps.</summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }

    /// <summary>One rate of an open-loop ladder.</summary>
    public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>One closed-loop or raw-engine run.</summary>
    public TimeSpan RunDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Candidates per request of the headline load (one user, N candidates). 500: a ranking request's size, and where
    /// the work the optimizations remove (the user tower tiled N times, fp32 arithmetic) outweighs the server's fixed
    /// cost per request; at 100 both pods of the tiny reference model were bound by the protocol alone.
    /// </summary>
    public int Candidates { get; init; } = 500;

    /// <summary>The p99 a rate must hold to count (ms).</summary>
    public double SloMs { get; init; } = 50;

    /// <summary>Intra-op threads of every pod and engine run: one core, one replica.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Open-loop rates tried in order, requests per second; a ladder stops at the first rate that breaks the SLO.</summary>
    public IReadOnlyList<double> Rates { get; init; } = [25, 50, 100, 150, 200, 300, 400, 600, 800, 1200, 1600, 2400, 3200, 4800, 6400, 9600];

    /// <summary>Sections to run (headline, components, anchors, autoscaler, solver, operator, gpu); all by default.</summary>
    public IReadOnlySet<string> Sections { get; init; } = AllSections;

    /// <summary>The repository: its manifests/crds and manifests/samples feed the autoscaler and operator sections.</summary>
    public string RepositoryRoot { get; init; } = ".";

    public string SamplesFolder => Path.Combine(RepositoryRoot, "manifests", "samples");

    /// <summary>RecModels the operator section creates.</summary>
    public int OperatorModels { get; init; } = 1000;

    public static IReadOnlySet<string> AllSections { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "headline", "components", "anchors", "autoscaler", "solver", "operator", "gpu",
    };

    public static BenchOptions QuickRun { get; } = new()
    {
        Quick = true, StepDuration = TimeSpan.FromSeconds(2), RunDuration = TimeSpan.FromSeconds(2), OperatorModels = 200,
    };

    public bool Runs(string section) => Sections.Contains(section);
}
