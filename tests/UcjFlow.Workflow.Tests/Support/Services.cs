using Microsoft.Extensions.Logging;

namespace UcjFlow.Workflow.Tests.Support;

/// <summary>
/// The host's DI container, reduced to what the activities ask for: one instance per service type, or a factory asked
/// on every resolution (a setting that changes while the host runs).
/// </summary>
public sealed class Services : IServiceProvider
{
    readonly Dictionary<Type, Func<object>> _factories = [];

    public Services Add<T>(T instance) where T : notnull
    {
        _factories[typeof(T)] = () => instance;
        return this;
    }

    public Services Add<T>(Func<T> factory) where T : notnull
    {
        _factories[typeof(T)] = () => factory();
        return this;
    }

    public object? GetService(Type serviceType) => _factories.TryGetValue(serviceType, out var factory) ? factory() : null;
}

/// <summary>Keeps every log line the workflow writes, so tests can check that no NIK is logged.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return _lines.ToList(); }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)} {exception}";
            lock (owner._lines) owner._lines.Add(line);
            // UCJ_TRACE=file copies the lines there, to follow a run that hangs.
            if (Environment.GetEnvironmentVariable("UCJ_TRACE") is { } trace) lock (owner._lines) File.AppendAllText(trace, line + "\n");
        }
    }
}
