using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>Keeps every log entry of every category and level, so a test can look for what must not be logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    public IReadOnlyList<CapturedLogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a sink that stores them would keep an address the message text leaves out.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => $"{p.Key}={p.Value}").ToArray()
                : [];
            entries.Enqueue(new CapturedLogEntry(category, logLevel, formatter(state, exception), values, exception?.ToString()));
        }
    }
}

/// <summary>One log entry: its category, level, formatted message, structured values and exception text.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, string Message, IReadOnlyList<string> Values, string? Exception)
{
    public bool Mentions(string text) =>
        Message.Contains(text, StringComparison.OrdinalIgnoreCase)
        || Values.Any(v => v.Contains(text, StringComparison.OrdinalIgnoreCase))
        || (Exception?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false);

    public override string ToString() => $"{Level} {Category}: {Message}";
}
