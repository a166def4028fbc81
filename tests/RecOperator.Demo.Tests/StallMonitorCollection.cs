namespace RecOperator.Demo.Tests;

/// <summary>The stall monitor's test blocks pool threads on purpose; nothing else in the assembly runs beside it.</summary>
[CollectionDefinition(StallMonitorTests.Alone, DisableParallelization = true)]
public sealed class StallMonitorCollection;
