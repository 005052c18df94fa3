namespace UcjFlow.Core.Roster.Report;

/// <summary>Short Indonesian names of the rule codes, for the per-code summary of the HTML report.</summary>
public static class IssueLabels
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [RuleCodes.FileUnsupported] = "Jenis berkas tidak didukung",
        [RuleCodes.FileCorrupt] = "Berkas rusak",
        [RuleCodes.FileEncrypted] = "Berkas berkata sandi",
        [RuleCodes.FileTooLarge] = "Berkas terlalu besar",
        [RuleCodes.HeaderNotFound] = "Judul kolom NIK dan Nama tidak ditemukan",
        [RuleCodes.RosterEmpty] = "Tidak ada baris data",
        [RuleCodes.FileOtherVillage] = "Berkas milik desa lain",
        [RuleCodes.NikMissing] = "NIK kosong",
        [RuleCodes.NikFormat] = "NIK bukan 16 digit",
        [RuleCodes.NikPrecisionLost] = "Digit NIK hilang (tersimpan sebagai angka)",
        [RuleCodes.NikPlaceholder] = "NIK contoh/berulang",
        [RuleCodes.NikRegionUnknown] = "Kode provinsi NIK tidak dikenal",
        [RuleCodes.NikBirthdateInvalid] = "Tanggal lahir dalam NIK tidak sah",
        [RuleCodes.NikSerialInvalid] = "Nomor urut NIK 0000",
        [RuleCodes.NameMissing] = "Nama kosong",
        [RuleCodes.BirthdateMismatch] = "Tanggal lahir berbeda dengan NIK",
        [RuleCodes.DuplicateInFile] = "NIK ganda dalam berkas",
        [RuleCodes.DuplicateInCampaign] = "NIK sudah diusulkan desa lain",
        [RuleCodes.AlreadyEnrolled] = "Sudah terdaftar sebagai peserta",
        [RuleCodes.SegmentUnknown] = "Segmen tidak dikenal",
        [RuleCodes.NikStoredAsNumber] = "NIK tersimpan sebagai angka",
        [RuleCodes.NikRegionUnlisted] = "Kode wilayah NIK tidak ada dalam daftar terbaru",
        [RuleCodes.NikOutsideRegency] = "NIK dari luar kabupaten",
        [RuleCodes.SexMismatch] = "Jenis kelamin tidak sesuai NIK",
        [RuleCodes.BirthdateInvalid] = "Tanggal lahir tidak terbaca",
        [RuleCodes.BirthdateFromNik] = "Tanggal lahir diambil dari NIK",
        [RuleCodes.AgeOutOfRange] = "Umur di luar batas",
        [RuleCodes.NameSuspicious] = "Nama perlu diperiksa",
        [RuleCodes.KkFormat] = "Nomor KK tidak sah",
        [RuleCodes.PhoneInvalid] = "Nomor HP tidak sah",
        [RuleCodes.VillageMismatch] = "Nama desa berbeda",
        [RuleCodes.NotInReference] = "Tidak ada dalam data rujukan",
        [RuleCodes.RenewalReasonMissing] = "Tidak dilanjutkan tanpa alasan",
        [RuleCodes.RenewalAnswerUnclear] = "Isian Lanjut? tidak jelas (dibaca Ya)",
    };

    public static string Of(string code) => Labels.GetValueOrDefault(code, code);
}
