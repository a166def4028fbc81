namespace RecOperator.Kube.Config;

/// <summary>A kubeconfig or in-cluster setting is missing or malformed; names the file and the field.</summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException(string file, string field, string problem)
        : base($"{file}: {field}: {problem}") => (File, Field) = (file, field);

    public KubeConfigException()
    {
    }

    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The kubeconfig path, or the in-cluster file or environment variable.</summary>
    public string File { get; } = "";

    /// <summary>The field's path, e.g. <c>clusters[0].cluster.server</c>.</summary>
    public string Field { get; } = "";
}
