namespace RecOperator.Kube.Config.Exec;

/// <summary>
/// An exec credential plugin could not give a credential: not found, failed, timed out, or printed something that is
/// not an ExecCredential. The message names the command and where the kubeconfig configures it.
/// </summary>
public sealed class ExecPluginException : Exception
{
    public ExecPluginException()
    {
    }

    public ExecPluginException(string message)
        : base(message)
    {
    }

    public ExecPluginException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
