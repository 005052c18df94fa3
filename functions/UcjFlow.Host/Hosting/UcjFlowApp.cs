using UcjFlow.App.Settings;

namespace UcjFlow.Host.Hosting;

/// <summary>Builds the local app; `serve`, `demo`, the tests and the benchmark all start it this way.</summary>
public static class UcjFlowApp
{
    /// <exception cref="DataFolderException">the data folder is in use by another process, or a database in it is damaged.</exception>
    public static WebApplication Create(UcjFlowSettings settings, TimeProvider? time = null, LogLevel minimumLevel = LogLevel.Information)
    {
        var folder = DataFolder.Open(settings);
        try
        {
            var app = Build(settings, time, minimumLevel, folder);
            // Held while the app lives: released when it stops or is disposed (by the OS when the process dies). Resolved
            // once here so that the container, which disposes what its factories made, owns it.
            app.Services.GetRequiredService<DataFolder>();
            app.Lifetime.ApplicationStopped.Register(folder.Dispose);
            if (folder.RemovedTempFiles > 0)
                app.Logger.LogWarning("Deleted {Count} temp file(s) of writes an earlier run did not finish", folder.RemovedTempFiles);
            return app;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    static WebApplication Build(UcjFlowSettings settings, TimeProvider? time, LogLevel minimumLevel, DataFolder folder)
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
        builder.Services.AddSingleton(_ => folder);
        var app = builder.Build();
        app.MapUcjFlowEmbedded();
        return app;
    }
}
