using UcjFlow.Core.Mail;

namespace UcjFlow.Workflow.Tests.Scenarios;

/// <summary>One time the workflow asked for a mail: the mail, and the engine's clock when it asked.</summary>
internal sealed record MailSend(OutgoingMail Mail, DateTimeOffset At)
{
    public string Key => Mail.Key;
    public string Subject => Mail.Subject;
}

/// <summary>
/// Records every send, in order and with the engine's clock time, then hands the mail to <paramref name="inner"/> (the
/// outbox, which keeps one file per idempotency key and so would hide a second send of the same mail).
/// </summary>
internal sealed class CountingMailer(IMailer inner, TimeProvider time) : IMailer
{
    readonly List<MailSend> log = [];

    /// <summary>Every send so far, in the order the workflow asked for them.</summary>
    public IReadOnlyList<MailSend> Log
    {
        get { lock (log) return log.ToList(); }
    }

    /// <summary>How often each key was sent.</summary>
    public IReadOnlyDictionary<string, int> Counts => Log.GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Count());

    public Task<MailOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        lock (log) log.Add(new MailSend(mail, time.GetUtcNow()));
        return inner.SendAsync(mail, cancellationToken);
    }
}
