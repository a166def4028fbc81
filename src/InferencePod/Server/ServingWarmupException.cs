namespace RecOperator.InferencePod.Server;

/// <summary>A request of the serving warm-up was not answered with success: the pod's own path is broken, so it never reports ready.</summary>
public sealed class ServingWarmupException(string message) : Exception(message);
