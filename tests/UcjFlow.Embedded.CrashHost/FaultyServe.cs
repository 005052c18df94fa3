using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UcjFlow.App.Settings;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Host.Hosting;

namespace UcjFlow.Embedded.CrashHost;

/// <summary>
/// `ucjflow serve` (the same data folder lock and start-up cleanup, the same <see cref="EmbeddedHosting"/> composition)
/// with the blob store, registry and mailer wrapped so the process stops dead at one step: when the step is reached it
/// writes the signal file (the step's name) and never returns, so the test can kill -9 it exactly there.
/// </summary>
public static class FaultyServe
{
    public static async Task<int> RunAsync(string point, string signalFile, string[] serveArgs)
    {
        string? data = null, urls = null, campaign = null;
        for (var i = 0; i + 1 < serveArgs.Length; i += 2)
        {
            switch (serveArgs[i])
            {
                case "--data": data = serveArgs[i + 1]; break;
                case "--urls": urls = serveArgs[i + 1]; break;
                case "--campaign": campaign = serveArgs[i + 1]; break;
                default: throw new ArgumentException($"unexpected '{serveArgs[i]}'");
            }
        }
        var settings = LocalSettings.Load(new LocalSettings.Overrides(data, urls, campaign));
        DataFolder folder;
        try
        {
            folder = DataFolder.Open(settings);
        }
        catch (DataFolderException e)
        {
            Console.Error.WriteLine($"crash host serve: {e.Message}");
            return 1;
        }
        using (folder)
        {
            var faults = new FaultPoints(point, signalFile);
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.AddUcjFlowEmbedded(settings);
            Decorate<IBlobStore>(builder.Services, inner => new FaultyBlobStore(inner, faults));
            Decorate<IMailer>(builder.Services, inner => new FaultyMailer(inner, faults));
            Decorate<IEnrollmentRegistry>(builder.Services, inner => FaultyRegistry.Wrap(inner, faults));
            var app = builder.Build();
            app.MapUcjFlowEmbedded();
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? settings.Urls;
            Console.WriteLine($"URL: {address}");
            Console.Out.Flush();
            await app.WaitForShutdownAsync();
            await app.DisposeAsync();
        }
        return 0;
    }

    /// <summary>Replaces the one registration of <typeparamref name="T"/> by a wrapper around what it made.</summary>
    static void Decorate<T>(IServiceCollection services, Func<T, T> wrap) where T : class
    {
        var original = services.Single(d => d.ServiceType == typeof(T));
        services.Remove(original);
        services.AddSingleton(sp =>
        {
            var inner = original.ImplementationInstance as T
                ?? (original.ImplementationFactory is { } factory ? (T)factory(sp) : (T)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!));
            return wrap(inner);
        });
    }
}

/// <summary>
/// The steps a test can stop the process at. Intake steps are armed from the start; approval steps once the registry was
/// asked to approve (so the intake before it runs through).
/// </summary>
public sealed class FaultPoints(string point, string signalFile)
{
    /// <summary>Intake: the API writing the upload (its temp file holds half of it).</summary>
    public const string UploadWrite = "upload-write";
    /// <summary>Intake: validation writing the batch's report (temp file half written).</summary>
    public const string Validation = "validation";
    /// <summary>Intake: the validation outcome and valid rows staged in the registry, the activity not yet recorded.</summary>
    public const string Staging = "staging";
    /// <summary>Intake: the "approval needed" mail sent, the activity not yet recorded.</summary>
    public const string MailApprovalNeeded = "mail-approval-needed";
    /// <summary>Approval: the enrolments committed, the activity not yet recorded.</summary>
    public const string Commit = "commit";
    /// <summary>Approval: the BPJS export being written (temp file half written).</summary>
    public const string Export = "export";
    /// <summary>Approval: the coverage summary being published (temp file half written).</summary>
    public const string Coverage = "coverage";
    /// <summary>Approval: the "approved" mail sent, the activity not yet recorded.</summary>
    public const string MailApproved = "mail-approved";

    volatile bool approving;
    int hit;

    public bool Is(string candidate) => point == candidate && (approving || candidate is UploadWrite or Validation or Staging or MailApprovalNeeded or Commit);

    public void ApprovalAsked() => approving = true;

    /// <summary>Signals the test that <see cref="point"/> is reached, then never returns (the test kills the process).</summary>
    public async Task StopHereAsync(string detail)
    {
        if (Interlocked.Exchange(ref hit, 1) == 0)
        {
            var temp = signalFile + ".tmp";
            await File.WriteAllTextAsync(temp, $"{point}\n{detail}\n");
            File.Move(temp, signalFile);
        }
        await Task.Delay(Timeout.Infinite);
    }
}

sealed class FaultyBlobStore(IBlobStore inner, FaultPoints faults) : IBlobStore
{
    public Task<Stream> OpenReadAsync(string container, string name, CancellationToken ct = default) => inner.OpenReadAsync(container, name, ct);

    public Task WriteAsync(string container, string name, Stream content, CancellationToken ct = default) =>
        WriteAsync(container, name, (target, token) => content.CopyToAsync(target, token), ct);

    public Task WriteAsync(string container, string name, Func<Stream, CancellationToken, Task> write, CancellationToken ct = default)
    {
        var point = container switch
        {
            BlobContainers.Uploads => FaultPoints.UploadWrite,
            BlobContainers.Reports when name.StartsWith("batches/", StringComparison.Ordinal) => FaultPoints.Validation,
            BlobContainers.Reports when name.StartsWith("coverage/", StringComparison.Ordinal) => FaultPoints.Coverage,
            BlobContainers.Exports => FaultPoints.Export,
            _ => null,
        };
        if (point is null || !faults.Is(point)) return inner.WriteAsync(container, name, write, ct);
        // Half the content reaches the store's temp file, then the process stops.
        return inner.WriteAsync(container, name, async (target, token) =>
        {
            using var buffer = new MemoryStream();
            await write(buffer, token);
            await target.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)(buffer.Length / 2)), token);
            await target.FlushAsync(token);
            await faults.StopHereAsync($"{container}/{name}");
        }, ct);
    }

    public Task<bool> ExistsAsync(string container, string name, CancellationToken ct = default) => inner.ExistsAsync(container, name, ct);
    public IAsyncEnumerable<BlobProperties> ListAsync(string container, string prefix = "", CancellationToken ct = default) => inner.ListAsync(container, prefix, ct);
    public Task<bool> DeleteAsync(string container, string name, CancellationToken ct = default) => inner.DeleteAsync(container, name, ct);
    public Task<BlobProperties?> GetPropertiesAsync(string container, string name, bool withHash = false, CancellationToken ct = default) =>
        inner.GetPropertiesAsync(container, name, withHash, ct);
}

sealed class FaultyMailer(IMailer inner, FaultPoints faults) : IMailer
{
    public async Task<MailOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var outcome = await inner.SendAsync(mail, cancellationToken);
        var point = mail.Key.EndsWith(":ApprovalNeeded", StringComparison.Ordinal) ? FaultPoints.MailApprovalNeeded
            : mail.Key.EndsWith(":Approved", StringComparison.Ordinal) ? FaultPoints.MailApproved : null;
        if (point is not null && faults.Is(point)) await faults.StopHereAsync(mail.Key);
        return outcome;
    }
}

/// <summary>
/// The registry as it is (a <see cref="DispatchProxy"/>, so members added to the port need nothing here), stopping after
/// the staging of a validation or the commit of an approval has returned.
/// </summary>
public class FaultyRegistry : DispatchProxy
{
    IEnrollmentRegistry inner = null!;
    FaultPoints faults = null!;

    public static IEnrollmentRegistry Wrap(IEnrollmentRegistry inner, FaultPoints faults)
    {
        var proxy = Create<IEnrollmentRegistry, FaultyRegistry>();
        var self = (FaultyRegistry)(object)proxy;
        (self.inner, self.faults) = (inner, faults);
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (method!.Name == nameof(IEnrollmentRegistry.ApproveAsync)) faults.ApprovalAsked();
        object? result;
        try
        {
            result = method.Invoke(inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        var point = method.Name switch
        {
            nameof(IEnrollmentRegistry.CompleteValidationAsync) => FaultPoints.Staging,
            nameof(IEnrollmentRegistry.ApproveAsync) => FaultPoints.Commit,
            _ => null,
        };
        if (point is null || !faults.Is(point) || result is not Task task) return result;
        var after = typeof(FaultyRegistry).GetMethod(nameof(ThenStopAsync), BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]);
        return after.Invoke(this, [task, method.Name]);
    }

    async Task<T> ThenStopAsync<T>(Task<T> call, string name)
    {
        var result = await call;
        await faults.StopHereAsync(name);
        return result;
    }
}
