using RecOperator.Cli;

ThreadPoolSpinning.ConfigureFor(args);
var parse = RecopCommand.Create().Parse(args);

// Usage errors (unknown options, missing required ones, bad values) exit 2, the Unix convention for bad usage, so
// scripts can tell them from a command that ran and failed (exit 1).
if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync($"recop: {ParseErrorText.Describe(error)}").ConfigureAwait(false);
    }

    await Console.Error.WriteLineAsync("recop: see --help for usage").ConfigureAwait(false);
    return 2;
}

// SIGTERM gives commands such as `recop pod` time to drain before System.CommandLine ends the process.
return await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) }).ConfigureAwait(false);
