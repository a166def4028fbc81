using System.CommandLine;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;

namespace RecOperator.Cli.Commands;

/// <summary>
/// `recop devcluster node down|up` (simulate losing and regaining a pool or one node) and `recop devcluster logs POD`
/// (a pod's process output, from the data directory).
/// </summary>
public static class DevClusterNodeCommands
{
    public static Command CreateNode()
    {
        var node = new Command("node", "Take local nodes down (their pods' processes are killed and the pods replaced elsewhere) or bring them back");
        node.Subcommands.Add(CreateSwitch("down", down: true));
        node.Subcommands.Add(CreateSwitch("up", down: false));
        return node;
    }

    private static Command CreateSwitch(string name, bool down)
    {
        var pool = new Option<string?>("--pool") { Description = "Every node of this pool (label recoperator.io/pool)" };
        var nodeName = new Option<string?>("--node") { Description = "One node, by name (POOL-INDEX)" };
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "The DevCluster kubeconfig (DATA_DIR/kubeconfig)", Required = true };
        var command = new Command(name, down ? "Mark nodes down: NotReady, unreachable taints, pods evicted" : "Mark nodes up again: Ready, schedulable") { pool, nodeName, kubeconfig };
        command.SetAction(async (parseResult, ct) =>
        {
            using var api = new KubeApiClient(KubeConfigLoader.Load(parseResult.GetValue(kubeconfig)!));
            try
            {
                var nodes = await NodeSwitch.SetAsync(api, parseResult.GetValue(pool), parseResult.GetValue(nodeName), down, ct).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"{string.Join(", ", nodes)}: {name}").ConfigureAwait(false);
                return 0;
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"devcluster node {name}: {e.Message}").ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }

    public static Command CreateLogs()
    {
        var pod = new Argument<string>("POD") { Description = "The pod's name" };
        var ns = new Option<string>("--namespace", "-n") { Description = "The pod's namespace", DefaultValueFactory = _ => "default" };
        var container = new Option<string?>("--container", "-c") { Description = "Only this container (default: every container of the pod)" };
        var dataDir = new Option<string>("--data-dir") { Description = "The DevCluster data directory", Required = true };
        var logs = new Command("logs", "Print a pod's process output (stdout and stderr, every restart)") { pod, ns, container, dataDir };
        logs.SetAction(async (parseResult, ct) =>
        {
            var directory = PodLogs.DirectoryUnder(Path.GetFullPath(parseResult.GetValue(dataDir)!));
            var files = PodLogs.FilesOf(directory, parseResult.GetValue(ns)!, parseResult.GetValue(pod)!)
                .Where(f => parseResult.GetValue(container) is not { } c || Path.GetFileNameWithoutExtension(f) == c).ToList();
            if (files.Count == 0)
            {
                await Console.Error.WriteLineAsync($"devcluster logs: no logs for pod {parseResult.GetValue(ns)}/{parseResult.GetValue(pod)} under {directory}").ConfigureAwait(false);
                return 1;
            }
            foreach (var file in files)
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                await stream.CopyToAsync(Console.OpenStandardOutput(), ct).ConfigureAwait(false);
            }
            return 0;
        });
        return logs;
    }
}
