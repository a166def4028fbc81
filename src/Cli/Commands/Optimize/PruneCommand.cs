using System.CommandLine;
using RecOperator.ModelOptimizer.Pruning;

namespace RecOperator.Cli.Commands.Optimize;

/// <summary><c>recop optimize prune --sparsity S --in MODEL --out DIR</c>.</summary>
internal static class PruneCommand
{
    public static Command Create()
    {
        var shared = new OptimizeOptions();
        var sparsity = new Option<double>("--sparsity") { Description = "Fraction of hidden units to remove from each MLP hidden layer, e.g. 0.3", Required = true };
        var command = new Command("prune", "Structured pruning of MLP hidden units into a smaller dense model") { sparsity };
        shared.AddTo(command);
        command.SetAction((parse, ct) => OptimizeCommandRunner.RunAsync(parse, "prune", () =>
            OptimizeCommandRunner.TransformAsync(parse, new StructuredPruneTransform(parse.GetValue(sparsity)), shared.Read(parse), ct)));
        return command;
    }
}
