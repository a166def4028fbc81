namespace RecOperator.Cli;

/// <summary>
/// Turns off the thread pool's spinning for `recop pod` (and `recop bench`, whose in-process pods should run as
/// `recop pod` does). An idle pool worker spins (sched_yield) before it sleeps, hoping for more work; between the
/// requests of a pod that is not saturated that spinning was a quarter of the pod's CPU (perf, 2-core VM), where each
/// yield is a context switch. Measured side by side (bench/Pod p, no-op model, 2 rounds): pod CPU per request gRPC 16
/// rows 35.8 -> 28.5 us, 256 rows 194 -> 139 us. A pod's CPU is its replica's cost and what its CPU limit throttles;
/// other commands keep the default, as the demo's one process hosts the API server, node agent and operator, whose
/// hand-offs profit from a worker that is still awake.
/// </summary>
internal static class ThreadPoolSpinning
{
    // The runtime's knob (read by the pool when it starts its first worker; DOTNET_ThreadPool_UnfairSemaphoreSpinLimit
    // in the environment is the same setting and wins if a user sets it).
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>Must run before anything queues work to the thread pool: the pool reads the setting once.</summary>
    public static void ConfigureFor(string[] args)
    {
        if (AppliesTo(args, Environment.GetEnvironmentVariable(EnvironmentVariable)))
        {
            AppContext.SetData(SpinLimit, 0);
        }
    }

    private const string EnvironmentVariable = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    /// <summary>Only those commands, and only where the environment does not choose a limit itself.</summary>
    private static bool AppliesTo(string[] args, string? environmentValue) =>
        args.Length > 0 && args[0] is "pod" or "bench" && environmentValue is null;
}
