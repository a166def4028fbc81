using RecOperator.Cli;

return await RecopCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
