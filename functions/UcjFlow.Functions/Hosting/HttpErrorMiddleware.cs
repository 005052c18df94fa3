using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using UcjFlow.App.Api;

namespace UcjFlow.Functions.Hosting;

/// <summary>
/// An HTTP function that throws answers as the local host does (<see cref="ApiErrors.WriteAsync"/>: a short Indonesian
/// sentence and a code, never the exception); the details go to the log.
/// </summary>
sealed class HttpErrorMiddleware(ILogger<HttpErrorMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { } http)
        {
            logger.LogError(e, "Function {Function} failed", context.FunctionDefinition.Name);
            await ApiErrors.WriteAsync(http, e);
        }
    }
}
