using System.Collections.Concurrent;
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
/// temporary name, flushed to disk and renamed, so a reader never sees half a mail. A key already in the folder is not
/// written again, which makes a retried activity harmless (the folder is the record: a file moved out of it no longer
/// counts). The keys in the folder are listed once per folder and process, then kept: a listing per mail grew with the
/// outbox (thousands of files in a campaign) and held every other mail up (issue 11.1). So a mail put back into the folder
/// while the process runs is seen at its next start (only one process writes a data folder's outbox: its lock).
/// </summary>
public sealed class OutboxMailer : IMailer
{
    private readonly string _folder;
    private readonly MailAddress _from;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Outbox _outbox;

    // One per folder in this process, whichever mailer writes to it: check-then-rename must not interleave for one key.
    private static readonly ConcurrentDictionary<string, Outbox> Outboxes = new(StringComparer.Ordinal);

    public OutboxMailer(string folder, string from, TimeProvider time, ILogger? logger = null)
    {
        _folder = Path.GetFullPath(folder);
        _from = new MailAddress(from);
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _outbox = Outboxes.GetOrAdd(Path.TrimEndingDirectorySeparator(_folder), static f => new Outbox(f));
    }

    public string Folder => _folder;

    public async Task<MailOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var from = mail.From is null ? _from : new MailAddress(mail.From);
        var now = _time.GetUtcNow();
        var bytes = EmlWriter.Write(mail, from, now);
        var hash = MailKey.Hash(mail.Key);

        // Written and flushed before the turn: only the check and the rename are one key's critical section.
        Directory.CreateDirectory(_folder);
        var temp = Path.Combine(_folder, $".{hash}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            await _outbox.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_outbox.Find(hash) is { } existing)
                {
                    _logger.LogInformation("Mail {Key} already in the outbox as {File}; not written again", mail.Key, existing);
                    return MailOutcome.AlreadySent;
                }
                var name = $"{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}_{MailKey.Slug(mail.Key)}_{hash}.eml";
                File.Move(temp, Path.Combine(_folder, name), overwrite: false);
                _outbox.Add(hash, name);
                _logger.LogInformation("Mail {Key} to {Recipients} recipient(s) written to the outbox as {File}", mail.Key, mail.To.Count + mail.Cc.Count, name);
                return MailOutcome.Sent;
            }
            finally
            {
                _outbox.Gate.Release();
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
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
    public string? FindFile(string key)
    {
        _outbox.Gate.Wait();
        try
        {
            return _outbox.Find(MailKey.Hash(key)) is { } name ? Path.Combine(_folder, name) : null;
        }
        finally
        {
            _outbox.Gate.Release();
        }
    }

    /// <summary>The mails of one outbox folder by key hash (file names), listed at first use; read and written under <see cref="Gate"/>.</summary>
    private sealed class Outbox(string folder)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        private Dictionary<string, string>? _files;

        /// <summary>The file name of the mail with this key hash, while that file is still in the folder.</summary>
        public string? Find(string hash)
        {
            _files ??= List();
            if (!_files.TryGetValue(hash, out var name)) return null;
            if (File.Exists(Path.Combine(folder, name))) return name;
            _files.Remove(hash); // moved out of the folder: no longer sent
            return null;
        }

        public void Add(string hash, string name) => (_files ??= List())[hash] = name;

        private Dictionary<string, string> List()
        {
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!Directory.Exists(folder)) return files;
            foreach (var path in Directory.EnumerateFiles(folder, "*_*.eml"))
            {
                var name = Path.GetFileName(path);
                var hash = name[(name.LastIndexOf('_') + 1)..^".eml".Length];
                files.TryAdd(hash, name);
            }
            return files;
        }
    }
}
