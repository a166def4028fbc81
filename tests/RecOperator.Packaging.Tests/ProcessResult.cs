namespace RecOperator.Packaging.Tests;

/// <summary>What a finished child process left: its exit code and everything it wrote.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n{StandardOutput}\n{StandardError}";
}
