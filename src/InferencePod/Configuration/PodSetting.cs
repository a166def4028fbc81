namespace RecOperator.InferencePod.Configuration;

/// <summary>One setting's two spellings: the CLI option and the environment variable the operator sets.</summary>
public readonly record struct PodSetting(string Option, string EnvironmentVariable);
