using UcjFlow.App.Settings;

namespace UcjFlow.Host.Hosting;

/// <summary>Builds the local app; `serve`, `demo`, the tests and the benchmark all start it this way.</summary>
public static class UcjFlowApp
{
    public static WebApplication Create(UcjFlowSettings settings, TimeProvider? time = null, LogLevel minimumLevel = LogLevel.Information)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The sample campaign sits next to the executable, whatever the working directory.
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        // Logs go to stderr: stdout carries only what a script reads (URL and token lines, the demo's summary).
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.Hosting", LogLevel.Warning)
            .SetMinimumLevel(minimumLevel);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddUcjFlowEmbedded(settings, time);
        var app = builder.Build();
        app.MapUcjFlowEmbedded();
        return app;
    }
}
