using RecOperator.Cli;

return await RecopCommand.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) }).ConfigureAwait(false);
