using Microsoft.AspNetCore.Http;

namespace UcjFlow.App.Api;

/// <summary>The API's error answers: a short Indonesian sentence and a stable code (<see cref="ApiError"/>), never a stack trace.</summary>
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

    /// <summary>
    /// The answer to an exception no handler caught: a request the server could not read (413 for a body over the limit),
    /// 507 when storage is full (the upload was not kept), else 500. Never the exception's text: details go to the log only. Both hosts' error middleware call this.
    /// </summary>
    public static (int Status, ApiError Error) ForException(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (413, new("Berkas terlalu besar.", "too_large")),
        BadHttpRequestException bad => (bad.StatusCode, new("Permintaan tidak dapat dibaca.", "bad_request")),
        Core.Storage.BlobStoreFullException => (StatusCodes.Status507InsufficientStorage,
            new("Penyimpanan server penuh, berkas belum diterima. Silakan coba lagi nanti atau hubungi koordinator.", "storage_full")),
        _ => (500, new("Terjadi kesalahan di server. Silakan coba lagi nanti.", "server_error")),
    };

    /// <summary>Writes <see cref="ForException"/>'s answer, unless the response has started (then there is nothing left to say).</summary>
    public static async Task WriteAsync(HttpContext context, Exception exception)
    {
        if (context.Response.HasStarted) return;
        var (status, error) = ForException(exception);
        context.Response.Clear();
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(error, ApiJsonContext.Default.ApiError);
    }
}
