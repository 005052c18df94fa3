using Microsoft.AspNetCore.Diagnostics;

namespace UcjFlow.Host.Api;

/// <summary>The API's error answers, and the middleware that turns any unhandled exception into one (never a stack trace).</summary>
public static class ApiErrors
{
    public static IResult Json(int status, string message, string code) =>
        Results.Json(new ApiError(message, code), ApiJsonContext.Default.ApiError, statusCode: status);

    public static IResult Unauthorized() =>
        Json(StatusCodes.Status401Unauthorized, "Token tidak ada atau tidak dikenal. Masukkan token yang diberikan koordinator.", "unauthorized");

    public static IResult Forbidden() =>
        Json(StatusCodes.Status403Forbidden, "Token ini tidak berhak melakukan tindakan ini.", "forbidden");

    public static IResult BatchNotFound(string batchId) =>
        Json(StatusCodes.Status404NotFound, $"Batch {batchId} tidak ditemukan.", "batch_not_found");

    /// <summary>Answers every unhandled exception with a short JSON error; the details go to the log only.</summary>
    public static void UseApiExceptionHandler(this WebApplication app) => app.UseExceptionHandler(error => error.Run(async context =>
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, message, code) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, "Berkas terlalu besar.", "too_large"),
            BadHttpRequestException bad =>
                (bad.StatusCode, "Permintaan tidak dapat dibaca.", "bad_request"),
            _ => (500, "Terjadi kesalahan di server. Silakan coba lagi nanti.", "server_error"),
        };
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ApiError(message, code), ApiJsonContext.Default.ApiError);
    }));
}
