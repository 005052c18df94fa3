using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using UcjFlow.Host.Demo;

namespace UcjFlow.Host.Tests.Support;

/// <summary>
/// A WhatsApp/SMS gateway for the tests: an HttpListener on 127.0.0.1 that records every POST
/// (<c>{"phone","text","key"}</c> and the Authorization header) and answers with the status <see cref="Answer"/> picks
/// for the request's 1-based number.
/// </summary>
public sealed class GatewayStub : IDisposable
{
    public sealed record Received(int Number, string Phone, string Text, string Key, string? Authorization, int Status);

    readonly HttpListener _listener = new();
    readonly ConcurrentQueue<Received> _requests = new();
    readonly CancellationTokenSource _stop = new();
    int _count;

    public GatewayStub(Func<int, int> answer)
    {
        Answer = answer;
        Url = new Uri($"http://127.0.0.1:{InProcessApp.FreePort()}/send/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>Request number (1-based) → HTTP status to answer; may be changed while running.</summary>
    public volatile Func<int, int> Answer;

    public IReadOnlyList<Received> Requests => [.. _requests];

    async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            var number = Interlocked.Increment(ref _count);
            var status = Answer(number);
            var root = body.RootElement;
            _requests.Enqueue(new Received(number, root.GetProperty("phone").GetString()!, root.GetProperty("text").GetString()!,
                root.GetProperty("key").GetString()!, context.Request.Headers["Authorization"], status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }
}
