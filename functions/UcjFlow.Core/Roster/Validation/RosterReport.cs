using System.Text.Json.Serialization;

namespace UcjFlow.Core.Roster.Validation;

[JsonConverter(typeof(JsonStringEnumConverter<RosterStatus>))]
public enum RosterStatus
{
    /// <summary>At least one row is valid.</summary>
    Valid,
    /// <summary>The file was read but no row is valid.</summary>
    Invalid,
    /// <summary>A file-level code: nothing was read.</summary>
    Unreadable,
}

/// <summary>"error" (the row is rejected) or "warning" (the row stays valid), as the report JSON spells them.</summary>
public static class IssueSeverity
{
    public const string Error = "error";
    public const string Warning = "warning";
}

/// <summary>
/// One finding on one row: the sheet's row number, the column title as the village wrote it, the rule code, its severity,
/// an Indonesian message that starts "Baris N, kolom X: " (<see cref="Prefix"/>), and the person's name as the row gives it
/// (null when the row has none; omitted from JSON then).
/// </summary>
public sealed record RosterIssue(int Row, string Column, string Code, string Severity, string Message)
{
    [JsonIgnore] public bool IsError => Severity == IssueSeverity.Error;

    /// <summary>The name in the row's name column (normalised), so a village finds the person without the masked NIK.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>"Baris 5, kolom NIK: ": how every row message starts. The one place that writes it.</summary>
    public static string Prefix(int row, string column) => $"Baris {row}, kolom {column}: ";

    /// <summary>What is wrong and what to do, without the row and column (<see cref="Message"/> minus <see cref="Prefix"/>).</summary>
    [JsonIgnore]
    public string Text => Message.StartsWith(Prefix(Row, Column), StringComparison.Ordinal) ? Message[Prefix(Row, Column).Length..] : Message;

    /// <summary>
    /// The line a village reads in mails and on the batch page: "Baris 5 (Budi Santoso), kolom NIK: NIK harus 16 digit …".
    /// Never a rule code; the row and column once.
    /// </summary>
    [JsonIgnore]
    public string Line => Name is { Length: > 0 } name ? $"Baris {Row} ({name}), kolom {Column}: {Text}" : Message;
}

/// <summary>
/// One row of a renewal roster marked Tidak: the sheet's row number, the name as the row gives it (normalised; null
/// when empty), the reason (a word of <see cref="RenewalReasons.Listed"/>, or <see cref="RenewalReasons.Missing"/>) and,
/// for a reason typed outside the list (then <see cref="RenewalReasons.Other"/>), its text. Never the NIK.
/// </summary>
public sealed record RosterRemoval(
    int Row,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    string Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text = null);

/// <summary>
/// The verdict on one file, with roster.md's JSON names. For an Unreadable file <see cref="FileCode"/> holds the
/// file-level code, <see cref="FileMessage"/> the Indonesian explanation, and every row figure is zero.
/// </summary>
public sealed record RosterReport
{
    public required string File { get; init; }
    public required string Village { get; init; }
    public required RosterStatus Status { get; init; }
    public string? FileCode { get; init; }
    public string? Sheet { get; init; }
    public int? HeaderRow { get; init; }
    public int Rows { get; init; }
    public int Valid { get; init; }
    public int Rejected { get; init; }
    public int ValidWithWarnings { get; init; }

    /// <summary>Issues per code, a row counted once per code; ordered by code.</summary>
    public IReadOnlyDictionary<string, int> ByCode { get; init; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Every issue, by row then in the order the rules ran.</summary>
    public IReadOnlyList<RosterIssue> Issues { get; init; } = [];

    /// <summary>
    /// What the report says once about the whole file, in Indonesian: today that its date column was read month-first
    /// (roster.md, Reading values). Null when there is nothing to say; omitted from JSON then.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Notes { get; init; }

    /// <summary>
    /// Renewal rosters only (a "Lanjut?" column): the rows marked Tidak. They are not data rows (not in <see cref="Rows"/>,
    /// never valid, never rejected, never enrolled); 0 and omitted from JSON for other rosters.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Removed { get; init; }

    /// <summary>
    /// <see cref="Removed"/> per reason, keyed by the words of <see cref="RenewalReasons.Listed"/> in that order, then
    /// <see cref="RenewalReasons.Missing"/>; only reasons that occur. Null (omitted) when nothing was removed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, int>? RemovedByReason { get; init; }

    /// <summary>The removed rows in row order, by row and name, never by NIK. Null (omitted) when nothing was removed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RosterRemoval>? Removals { get; init; }

    /// <summary>The file-level message for an Unreadable file (not in roster.md's example; omitted from JSON when null).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FileMessage { get; init; }
}
