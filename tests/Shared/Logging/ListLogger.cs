using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RecOperator.Tests.Shared;

/// <summary>Keeps every log message so tests can assert that something was logged.</summary>
internal sealed class ListLogger : ILogger, ILoggerFactory, ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Messages.Enqueue($"{logLevel}: {formatter(state, exception)}");

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
