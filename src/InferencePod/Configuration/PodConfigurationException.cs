namespace RecOperator.InferencePod.Configuration;

/// <summary>The pod cannot start with its settings; the message lists every wrong setting by name.</summary>
public sealed class PodConfigurationException : Exception
{
    public PodConfigurationException()
    {
    }

    public PodConfigurationException(string message) : base(message)
    {
    }

    public PodConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public PodConfigurationException(IReadOnlyList<string> errors)
        : base("invalid pod configuration: " + string.Join("; ", errors ?? []))
    {
        Errors = errors ?? [];
    }

    public IReadOnlyList<string> Errors { get; } = [];
}
