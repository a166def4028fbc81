namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// What a container runs as: argv and the environment the pod gives it; or, when it cannot run, the waiting reason
/// and message the kubelet would show (ErrImagePull for an unknown image, CreateContainerConfigError for bad env).
/// </summary>
public sealed record ResolvedCommand(IReadOnlyList<string> Argv, IReadOnlyDictionary<string, string> Env, string? ErrorReason = null, string? ErrorMessage = null)
{
    public bool Runnable => ErrorReason is null && Argv.Count > 0;

    public static ResolvedCommand Failed(string reason, string message) => new([], new Dictionary<string, string>(), reason, message);
}
