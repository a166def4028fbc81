using System.CommandLine;
using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Pipeline;

namespace RecOperator.Cli.Commands.Optimize;

/// <summary>The options every transforming command shares: --in, --out, --node-pool, the size of its fidelity check and its gate.</summary>
internal sealed class OptimizeOptions
{
    public Option<FileInfo> Input { get; } = new("--in") { Description = "The ONNX model to transform (never overwritten)", Required = true };

    public Option<DirectoryInfo> Output { get; } = new("--out") { Description = "Folder for the new model and its manifest.json", Required = true };

    public Option<string> NodePool { get; } = new("--node-pool")
    {
        Description = "Node pool named in the printed variants entry",
        DefaultValueFactory = _ => "default",
    };

    public Option<int> Requests { get; } = new("--fidelity-requests")
    {
        Description = "Seeded requests the built-in fidelity check scores",
        DefaultValueFactory = _ => 8,
    };

    public Option<int> Candidates { get; } = new("--fidelity-candidates")
    {
        Description = "Candidates per fidelity request",
        DefaultValueFactory = _ => 64,
    };

    public Option<bool> NoGate { get; } = new("--no-gate")
    {
        Description = "Write the model even when its fidelity breaks the gate (AUC drop <= 0.001, top-10 agreement >= 0.95, as verify --gate)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Input);
        command.Options.Add(Output);
        command.Options.Add(NodePool);
        command.Options.Add(Requests);
        command.Options.Add(Candidates);
        command.Options.Add(NoGate);
    }

    public PipelineOptions Read(ParseResult parse) => new()
    {
        InputPath = parse.GetValue(Input)!.FullName,
        OutputFolder = parse.GetValue(Output)!.FullName,
        NodePool = parse.GetValue(NodePool)!,
        Fidelity = new FidelityOptions { Requests = parse.GetValue(Requests), Candidates = parse.GetValue(Candidates) },
        // Gated by default: the printed variants entry is ready to paste, so a model that ranks unlike its source
        // (a pruned reference model) must not get one unless asked for.
        Gate = parse.GetValue(NoGate) ? null : new FidelityGate(),
    };
}
