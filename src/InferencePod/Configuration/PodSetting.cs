namespace RecOperator.InferencePod.Configuration;

/// <summary>One setting's two spellings, the CLI option and the environment variable the operator sets, and what it does.</summary>
public readonly record struct PodSetting(string Option, string EnvironmentVariable, string Help)
{
    /// <summary>The help line <c>recop pod --help</c> shows: what it does, then its variable.</summary>
    public string HelpLine => $"{Help} (env {EnvironmentVariable})";
}
