using System.Net.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using UcjFlow.Core.Mail;
using UcjFlow.Adapters.Mail;
using UcjFlow.Embedded.Storage;

namespace UcjFlow.Embedded.Mail;

/// <summary>
/// The embedded default mailer: each mail becomes one .eml file in the outbox folder, named
/// "{UTC time yyyyMMddTHHmmssfffZ}_{key slug}_{key hash}.eml" so a listing sorts by time. A file is written under a
/// temporary name and renamed, so a reader never sees half a mail. A key already in the folder is not written again,
/// which makes a retried activity harmless (the folder is the record: a file moved out of it no longer counts).
/// </summary>
public sealed class OutboxMailer : IMailer
{
    private readonly string _folder;
    private readonly MailAddress _from;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Check-then-rename must not interleave for the same key; mail volume is small, one lock is plenty.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public OutboxMailer(string folder, string from, TimeProvider time, ILogger? logger = null)
    {
        _folder = Path.GetFullPath(folder);
        _from = new MailAddress(from);
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    public string Folder => _folder;

    public async Task<MailOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var from = mail.From is null ? _from : new MailAddress(mail.From);
        var now = _time.GetUtcNow();
        var bytes = EmlWriter.Write(mail, from, now);
        var hash = MailKey.Hash(mail.Key);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(_folder);
            var existing = Find(hash);
            if (existing is not null)
            {
                _logger.LogInformation("Mail {Key} already in the outbox as {File}; not written again", mail.Key, Path.GetFileName(existing));
                return MailOutcome.AlreadySent;
            }

            var name = $"{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}_{MailKey.Slug(mail.Key)}_{hash}.eml";
            var temp = Path.Combine(_folder, $".{hash}.{Guid.NewGuid():N}.tmp");
            try
            {
                await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
                {
                    await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, Path.Combine(_folder, name), overwrite: false);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
            _logger.LogInformation("Mail {Key} to {Recipients} recipient(s) written to the outbox as {File}", mail.Key, mail.To.Count + mail.Cc.Count, name);
            return MailOutcome.Sent;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Deletes the temp files of mails a crash cut short (".{hash}.{guid}.tmp"): none was published, so the retried
    /// activity writes its mail again. Only while no mailer writes to the folder (the host calls it at start, holding the
    /// data folder's lock). Returns how many were deleted.
    /// </summary>
    public static int DeleteLeftoverTempFiles(string folder)
    {
        return LeftoverFiles.Delete(Path.GetFullPath(folder), ".*.tmp");
    }

    /// <summary>The outbox file holding the mail with this key, if any.</summary>
    public string? FindFile(string key) => Directory.Exists(_folder) ? Find(MailKey.Hash(key)) : null;

    private string? Find(string hash) => Directory.EnumerateFiles(_folder, $"*_{hash}.eml").FirstOrDefault();
}
