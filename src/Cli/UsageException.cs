namespace RecOperator.Cli;

/// <summary>
/// The command line asks for something that cannot be done (conflicting options, a file that is not what the option
/// needs). The message names the option; commands print it and exit 2, the code for bad usage.
/// </summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
