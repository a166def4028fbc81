namespace RecOperator.InferencePod.Tests;

/// <summary>Tests that measure the process (memory under overload) run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
