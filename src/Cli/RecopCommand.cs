using System.CommandLine;
using RecOperator.Cli.Commands;

namespace RecOperator.Cli;

/// <summary>The `recop` root command: one entry point for every tool of the project.</summary>
public static class RecopCommand
{
    /// <summary>Builds the command tree. Each subcommand lives in its own file under Commands/.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("RecOperator: a Kubernetes operator for elastic, heterogeneous inference fleets of recommendation models.")
        {
            ValidateCommand.Create(),
            CrdsCommand.Create(),
            OptimizeCommand.Create(),
            PodCommand.Create(),
            DevClusterCommand.Create(),
            SimCommand.Create(),
            DemoCommand.Create(),
            OperatorCommand.Create(),
            BenchCommand.Create(),
        };
        return root;
    }
}
