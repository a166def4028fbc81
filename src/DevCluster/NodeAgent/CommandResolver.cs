using System.Text;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Turns a container into a local command, as a container runtime would: the image's command and args from the node
/// agent config, replaced by the container's own command/args as Kubernetes does; env from the image, the host ports
/// (through the image's portEnv, or its portArgs flags), the kubelet's own variables for the pod (the in-cluster
/// API server, see <see cref="ServiceAccountVolume"/>), the container's envFrom (<see cref="EnvFromSources"/>) and
/// its env (valueFrom keys and resources as read by <see cref="EnvValueFrom"/>), with $(VAR) references in env,
/// command and args expanded.
/// </summary>
public static class CommandResolver
{
    public static ResolvedCommand Resolve(
        V1Pod pod, V1Container container, NodeAgentConfig config, IReadOnlyDictionary<int, int> hostPorts,
        IReadOnlyDictionary<string, string>? mountPaths = null, IReadOnlyDictionary<string, string>? podEnv = null,
        IReadOnlyDictionary<string, string>? envFrom = null, IReadOnlyDictionary<string, string>? valueFrom = null)
    {
        mountPaths ??= new Dictionary<string, string>();
        var image = container.Image is { Length: > 0 } reference ? config.FindImage(reference) : null;
        if (image is null && container.Command is not { Count: > 0 })
        {
            return ResolvedCommand.Failed("ErrImagePull", $"image \"{container.Image}\" has no local command in the node agent config (images[].repository) and the container sets no command");
        }
        var env = new Dictionary<string, string>(image?.Env ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["HOSTNAME"] = pod.Metadata?.Name ?? "",
        };
        // What the kubelet sets for every container before the container's own env, which may override it.
        foreach (var (name, value) in podEnv ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }
        // envFrom's keys come before env, which wins over them and may reference them; their values are not expanded.
        foreach (var (name, value) in envFrom ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }
        // Set before the container's env too, so its $(VAR) references to the ports expand to the host ports.
        SetHostPorts(env, image, hostPorts);
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom is null)
            {
                env[variable.Name] = PodVolumes.Rewrite(Expand(variable.Value ?? "", env), mountPaths);
                continue;
            }
            if (variable.ValueFrom.FieldRef is null)
            {
                // Read before the pod started (EnvValueFrom); an optional key that is missing sets nothing, as with the kubelet.
                if (valueFrom?.TryGetValue(variable.Name, out var read) == true)
                {
                    env[variable.Name] = read;
                }
                continue;
            }
            if (FieldValue(pod, variable.ValueFrom.FieldRef.FieldPath) is not { } value)
            {
                return ResolvedCommand.Failed("CreateContainerConfigError",
                    $"env {variable.Name}: valueFrom.fieldRef supports only metadata.name, metadata.namespace, metadata.uid, spec.nodeName, status.podIP, status.hostIP here");
            }
            env[variable.Name] = value;
        }
        // The host ports stand in for the pod's network namespace, so they win over the container's own port settings
        // (the inference pod's container sets RECPOD_HTTP_PORT=8080; here it must listen where the annotation says).
        SetHostPorts(env, image, hostPorts);
        // Mount paths are the container's view, so only the pod spec's own words are rewritten: the image's local
        // command is a host path (a checkout under /tmp must not turn into a pod's /tmp volume).
        string FromSpec(string word) => PodVolumes.Rewrite(Expand(word, env), mountPaths);
        var ownCommand = container.Command is { Count: > 0 };
        IEnumerable<string> command = ownCommand ? container.Command!.Select(FromSpec) : image!.Command.Select(w => Expand(w, env));
        IEnumerable<string> args = container.Args is { } own ? own.Select(FromSpec) : ownCommand ? [] : image!.Args.Select(w => Expand(w, env));
        var argv = command.Concat(args).ToList();
        return new ResolvedCommand(SetPortArgs(argv, image, hostPorts), env);
    }

    /// <summary>Like the port variables: the host port replaces the flag's value (--flag=N or --flag N), or the flag is added.</summary>
    private static List<string> SetPortArgs(List<string> argv, ImageCommand? image, IReadOnlyDictionary<int, int> hostPorts)
    {
        foreach (var (containerPort, flag) in image?.PortArgs ?? new Dictionary<string, string>())
        {
            if (!int.TryParse(containerPort, System.Globalization.CultureInfo.InvariantCulture, out var port) || !hostPorts.TryGetValue(port, out var hostPort))
            {
                continue;
            }
            var value = hostPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // argv[0] is the program; a flag's separate value is the word after it.
            var at = argv.FindIndex(Math.Min(1, argv.Count), a => a == flag || a.StartsWith(flag + "=", StringComparison.Ordinal));
            if (at < 0)
            {
                argv.Add($"{flag}={value}");
            }
            else if (argv[at] == flag && at + 1 < argv.Count)
            {
                argv[at + 1] = value;
            }
            else
            {
                argv[at] = $"{flag}={value}";
            }
        }
        return argv;
    }

    private static void SetHostPorts(Dictionary<string, string> env, ImageCommand? image, IReadOnlyDictionary<int, int> hostPorts)
    {
        foreach (var (containerPort, variable) in image?.PortEnv ?? new Dictionary<string, string>())
        {
            if (int.TryParse(containerPort, System.Globalization.CultureInfo.InvariantCulture, out var port) && hostPorts.TryGetValue(port, out var hostPort))
            {
                env[variable] = hostPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>$(VAR) becomes VAR's value when defined; $$(VAR) stays a literal $(VAR); unknown references stay as written.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> env)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }
            var close = text[i] == '$' && i + 1 < text.Length && text[i + 1] == '(' ? text.IndexOf(')', i + 2) : -1;
            if (close > 0 && env.TryGetValue(text[(i + 2)..close], out var value))
            {
                result.Append(value);
                i = close;
                continue;
            }
            result.Append(text[i]);
        }
        return result.ToString();
    }

    private static string? FieldValue(V1Pod pod, string? path) => path switch
    {
        "metadata.name" => pod.Metadata?.Name,
        "metadata.namespace" => pod.Metadata?.Namespace,
        "metadata.uid" => pod.Metadata?.Uid,
        "spec.nodeName" => pod.Spec?.NodeName,
        "status.podIP" or "status.hostIP" => "127.0.0.1",
        _ => null,
    };
}
