namespace UcjFlow.Core.Roster.Reading;

/// <summary>The kinds of file the reader accepts, decided by content, never by extension alone.</summary>
public enum RosterFormat { Xlsx, Xls, Csv }

/// <summary>
/// A file-level problem: the whole file is refused. <see cref="Code"/> is one of the file codes of
/// <see cref="RuleCodes"/> (FILE_*, HEADER_NOT_FOUND); <see cref="Exception.Message"/> is a plain Indonesian
/// sentence a village PIC can act on.
/// </summary>
public sealed class RosterFileException : Exception
{
    public RosterFileException(string code, string message, Exception? inner = null) : base(message, inner) => Code = code;

    public string Code { get; }

    internal static RosterFileException Unsupported() => new(RuleCodes.FileUnsupported,
        "Jenis berkas tidak didukung: isi berkas bukan lembar kerja Excel (.xlsx, .xls) atau CSV. " +
        "Buka data di Excel, pilih Simpan Sebagai \"Buku Kerja Excel (.xlsx)\", lalu unggah kembali.");

    internal static RosterFileException Corrupt(Exception? inner = null) => new(RuleCodes.FileCorrupt,
        "Berkas tidak dapat dibuka: berkas rusak atau tidak lengkap. Simpan ulang dari Excel lalu unggah kembali.", inner);

    /// <summary>
    /// The workbook opened, its sheets hold values, yet not one cell could be read (a variant of the format the reader
    /// does not know): FILE_CORRUPT, "cannot be opened as what it claims to be", never HEADER_NOT_FOUND.
    /// </summary>
    internal static RosterFileException CellsUnreadable() => new(RuleCodes.FileCorrupt,
        "Isi sel lembar kerja tidak dapat dibaca: berkas .xlsx ini tersimpan dalam bentuk yang tidak dikenali, " +
        "sehingga judul kolom dan data tidak terbaca (judul kolom Anda tidak salah). Buka berkas di Excel, pilih Simpan Sebagai, " +
        "simpan ulang sebagai \"Excel Workbook (.xlsx)\", lalu unggah kembali.");

    internal static RosterFileException Empty() => new(RuleCodes.FileCorrupt,
        "Berkas kosong (0 byte): kemungkinan unggahan atau penyimpanan gagal. Simpan ulang dari Excel lalu unggah kembali.");

    internal static RosterFileException Inflated(long limitBytes) => new(RuleCodes.FileCorrupt,
        $"Berkas tidak dapat dibuka: isinya saat dibuka melebihi batas {limitBytes / (1024 * 1024)} MB, " +
        "sehingga dianggap rusak. Salin hanya tabel data ke buku kerja baru, simpan, lalu unggah kembali.");

    internal static RosterFileException Encrypted() => new(RuleCodes.FileEncrypted,
        "Berkas dilindungi kata sandi sehingga tidak dapat dibaca. Hapus kata sandi di Excel " +
        "(File > Info > Lindungi Buku Kerja > Enkripsi dengan Kata Sandi, kosongkan), simpan, lalu unggah kembali.");

    internal static RosterFileException TooManyBytes(long limitBytes) => new(RuleCodes.FileTooLarge,
        $"Berkas terlalu besar: batasnya {limitBytes / (1024 * 1024)} MB. " +
        "Hapus gambar atau lembar lain yang tidak perlu, atau bagi data menjadi beberapa berkas, lalu unggah kembali.");

    internal static RosterFileException TooManyRows(int maxRows) => new(RuleCodes.FileTooLarge,
        $"Berkas terlalu besar: lebih dari {maxRows.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("id-ID"))} baris data. " +
        "Bagi data menjadi beberapa berkas, lalu unggah kembali.");

    internal static RosterFileException UsedRangeTooLarge(string sheet, int rows, int columns) => new(RuleCodes.FileTooLarge,
        $"Lembar \"{sheet}\" terpakai sampai baris {rows.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("id-ID"))} " +
        $"dan kolom ke-{columns.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("id-ID"))}: jauh di bawah atau di kanan tabel ada sel yang terisi. " +
        "Hapus baris dan kolom di bawah dan di kanan tabel (atau salin hanya tabel ke buku kerja baru), simpan, lalu unggah kembali.");

    internal static RosterFileException HeaderNotFound() => new(RuleCodes.HeaderNotFound,
        "Baris judul kolom tidak ditemukan: dalam 30 baris pertama tidak ada baris yang memuat kolom NIK dan kolom Nama. " +
        "Pastikan tabel memiliki judul kolom \"NIK\" dan \"Nama\" (gunakan templat desa), lalu unggah kembali.");

    /// <summary>FILE_OTHER_VILLAGE: names the village the file seems to belong to, the batch's own, and why.</summary>
    internal static RosterFileException OtherVillage(Regions.Village other, Regions.Village own, string why) => new(RuleCodes.FileOtherVillage,
        $"Berkas ini tampaknya milik {other.Kind} {other.Name}, Kec. {other.District.Name} ({other.Code}), " +
        $"bukan {own.Kind} {own.Name} ({own.Code}): {why}. Berkas tidak diproses. Unggah berkas desa Anda sendiri; " +
        "bila nama desa dalam berkas salah ketik, perbaiki lalu unggah kembali.");
}
