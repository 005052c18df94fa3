namespace UcjFlow.Core.Roster;

/// <summary>The stable codes of roster.md. Other tools read them: never rename.</summary>
public static class RuleCodes
{
    // File level: the whole file is refused (status Unreadable).
    public const string FileUnsupported = "FILE_UNSUPPORTED";
    public const string FileCorrupt = "FILE_CORRUPT";
    public const string FileEncrypted = "FILE_ENCRYPTED";
    public const string FileTooLarge = "FILE_TOO_LARGE";
    public const string HeaderNotFound = "HEADER_NOT_FOUND";
    public const string RosterEmpty = "ROSTER_EMPTY";
    public const string FileOtherVillage = "FILE_OTHER_VILLAGE";

    // Row level errors, NIK checks in this order.
    public const string NikMissing = "NIK_MISSING";
    public const string NikFormat = "NIK_FORMAT";
    public const string NikPrecisionLost = "NIK_PRECISION_LOST";
    public const string NikPlaceholder = "NIK_PLACEHOLDER";
    public const string NikRegionUnknown = "NIK_REGION_UNKNOWN";
    public const string NikBirthdateInvalid = "NIK_BIRTHDATE_INVALID";
    public const string NikSerialInvalid = "NIK_SERIAL_INVALID";
    public const string NameMissing = "NAME_MISSING";
    public const string BirthdateMismatch = "BIRTHDATE_MISMATCH";
    public const string DuplicateInFile = "DUPLICATE_IN_FILE";
    public const string DuplicateInCampaign = "DUPLICATE_IN_CAMPAIGN";
    public const string AlreadyEnrolled = "ALREADY_ENROLLED";
    public const string SegmentUnknown = "SEGMENT_UNKNOWN";

    // Row level warnings.
    public const string NikStoredAsNumber = "NIK_STORED_AS_NUMBER";
    public const string NikRegionUnlisted = "NIK_REGION_UNLISTED";
    public const string NikOutsideRegency = "NIK_OUTSIDE_REGENCY";
    public const string SexMismatch = "SEX_MISMATCH";
    public const string BirthdateInvalid = "BIRTHDATE_INVALID";
    public const string BirthdateFromNik = "BIRTHDATE_FROM_NIK";
    public const string AgeOutOfRange = "AGE_OUT_OF_RANGE";
    public const string NameSuspicious = "NAME_SUSPICIOUS";
    public const string KkFormat = "KK_FORMAT";
    public const string PhoneInvalid = "PHONE_INVALID";
    public const string VillageMismatch = "VILLAGE_MISMATCH";
    public const string NotInReference = "NOT_IN_REFERENCE";

    // Renewal rosters (RenewalRosterWriter, the "Lanjut?" column; docs/renewal-roster.md): warnings.
    /// <summary>A row marked Tidak (a removal) with an empty "Alasan berhenti": still removed, counted as "tanpa alasan".</summary>
    public const string RenewalReasonMissing = "RENEWAL_REASON_MISSING";
    /// <summary>"Lanjut?" is neither Ya nor Tidak, or is Ya/empty while a reason is given: the row is read as Ya.</summary>
    public const string RenewalAnswerUnclear = "RENEWAL_ANSWER_UNCLEAR";
}
