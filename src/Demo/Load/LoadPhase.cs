namespace RecOperator.Demo.Load;

/// <summary>One stretch of the load profile: the request rate moves linearly from start to end over the duration.</summary>
public sealed record LoadPhase(string Name, TimeSpan Duration, double StartRps, double EndRps);
