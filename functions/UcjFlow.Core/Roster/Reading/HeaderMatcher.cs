namespace UcjFlow.Core.Roster.Reading;

/// <summary>
/// Recognises header titles as roster fields (roster.md's header table). A title is normalised first: text in
/// parentheses or after a colon is dropped ("NIK (16 digit)"), then case, spaces, dots, commas, slashes,
/// underscores, hyphens, asterisks and quotes are ignored, so "Tempat, Tgl. Lahir", "tgl_lahir" and "L/P" all match.
/// </summary>
internal static class HeaderMatcher
{
    private static readonly Dictionary<string, RosterField> Exact = Build();

    public static RosterField? Match(string title)
    {
        var n = Normalise(title);
        if (n.Length == 0) return null;
        if (Exact.TryGetValue(n, out var f)) return f;
        return Guess(n);
    }

    internal static string Normalise(string title)
    {
        Span<char> buffer = title.Length <= 256 ? stackalloc char[title.Length] : new char[title.Length];
        var length = 0;
        var depth = 0;
        foreach (var ch in title)
        {
            if (ch is '(' or '[') { depth++; continue; }
            if (ch is ')' or ']') { if (depth > 0) depth--; continue; }
            if (depth > 0) continue;
            if (ch == ':' && length > 0) break; // "Tanggal Lahir: dd-mm-yyyy"
            if (char.IsLetterOrDigit(ch)) buffer[length++] = char.ToLowerInvariant(ch);
        }
        return new string(buffer[..length]);
    }

    // Generous fallbacks for realistic variants the exact table does not list ("Nama Lengkap Sesuai KTP",
    // "NIK Peserta", "Tgl Lahir dd/mm/yyyy"). Order matters: names before KTP, place+date before date.
    private static RosterField? Guess(string n)
    {
        if (n.StartsWith("nama", StringComparison.Ordinal))
        {
            var rest = n[4..];
            if (StartsWithAny(rest, "desa", "kelurahan", "nagari", "kel")) return RosterField.Village;
            if (rest.StartsWith("kecamatan", StringComparison.Ordinal)) return RosterField.District;
            if (ContainsAny(rest, "ibu", "ayah", "kabupaten", "kepala", "keluarga", "ahliwaris", "suami", "istri",
                    "usaha", "perusahaan", "dusun", "orangtua", "wali", "bank", "kelompok", "petugas", "pendamping",
                    "operator", "pic", "jalan", "ortu", "anak"))
                return null;
            return RosterField.Name;
        }
        if (n.Contains("kartukeluarga", StringComparison.Ordinal) || n is "nkk" or "nokk" ||
            (StartsWithAny(n, "no", "nomor") && n.EndsWith("kk", StringComparison.Ordinal) && !n.Contains("nik", StringComparison.Ordinal)))
            return RosterField.Kk;
        if (n.StartsWith("nik", StringComparison.Ordinal) || n.Contains("indukkependudukan", StringComparison.Ordinal) ||
            (StartsWithAny(n, "no", "nomor") && (n.Contains("nik", StringComparison.Ordinal) || n.EndsWith("ktp", StringComparison.Ordinal))))
            return RosterField.Nik;
        if (n.StartsWith("ttl", StringComparison.Ordinal) ||
            (StartsWithAny(n, "tempat", "tmp", "tmpt") && ContainsAny(n, "tanggal", "tgl", "tgllahir", "tanggallahir")))
            return RosterField.PlaceAndDateOfBirth;
        if (StartsWithAny(n, "tempatlahir", "tmplahir", "tmptlahir", "tempatlhr")) return RosterField.BirthPlace;
        if (StartsWithAny(n, "tanggallahir", "tgllahir", "tgllhr", "tanggallhr", "tgllahr", "tglahir")) return RosterField.BirthDate;
        if (n.Contains("kelamin", StringComparison.Ordinal)) return RosterField.Sex;
        if (n.StartsWith("rtrw", StringComparison.Ordinal)) return RosterField.RtRw;
        if (StartsWithAny(n, "desakel", "kelurahandesa", "desa")) return RosterField.Village;
        if (n.StartsWith("kecamatan", StringComparison.Ordinal)) return RosterField.District;
        if (n.StartsWith("alamat", StringComparison.Ordinal)) return RosterField.Address;
        if (StartsWithAny(n, "pekerjaan", "jenispekerjaan", "profesi", "pekerjaanutama")) return RosterField.Occupation;
        if (StartsWithAny(n, "segmen", "kategori", "kelompokpekerja", "jenispekerja")) return RosterField.Segment;
        if (StartsWithAny(n, "nohp", "nomorhp", "notelp", "notlp", "nomortelp", "telepon", "telp", "nowa", "nomorwa",
                "whatsapp", "handphone", "nohandphone", "nomorhandphone", "nomortelepon", "notelepon", "kontak", "hp"))
            return RosterField.Phone;
        if (n.StartsWith("sumber", StringComparison.Ordinal)) return RosterField.Source;
        if (StartsWithAny(n, "keterangan", "catatan")) return RosterField.Note;
        return null;
    }

    private static bool StartsWithAny(string n, params string[] prefixes)
    {
        foreach (var p in prefixes)
            if (n.StartsWith(p, StringComparison.Ordinal)) return true;
        return false;
    }

    private static bool ContainsAny(string n, params string[] parts)
    {
        foreach (var p in parts)
            if (n.Contains(p, StringComparison.Ordinal)) return true;
        return false;
    }

    private static Dictionary<string, RosterField> Build()
    {
        var d = new Dictionary<string, RosterField>(StringComparer.Ordinal);
        void Add(RosterField f, params string[] titles)
        {
            foreach (var t in titles) d[Normalise(t)] = f;
        }
        Add(RosterField.Nik, "NIK", "No NIK", "Nomor NIK", "NIK KTP", "No KTP", "Nomor KTP", "Nomor Induk Kependudukan",
            "No Induk Kependudukan", "KTP", "NIK Peserta", "NIK Pekerja", "No. NIK KTP", "Nomor NIK KTP");
        Add(RosterField.Name, "Nama", "Nama Lengkap", "Nama Peserta", "Nama Pekerja", "Nama Sesuai KTP", "Nama Lengkap Sesuai KTP",
            "Nama Tenaga Kerja", "Nama Anggota", "Nama Penerima", "Name", "Full Name");
        Add(RosterField.Kk, "No KK", "Nomor KK", "Nomor Kartu Keluarga", "No Kartu Keluarga", "KK", "NKK", "No. KK");
        Add(RosterField.Sex, "Jenis Kelamin", "JK", "J/K", "L/P", "P/L", "Kelamin", "Jns Kelamin", "Jenis Kel", "Jekel",
            "Lk/Pr", "Sex", "Gender", "L / P");
        Add(RosterField.BirthPlace, "Tempat Lahir", "Tmp Lahir", "Tmpt Lahir", "Tempat Lhr");
        Add(RosterField.BirthDate, "Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir", "Tgl Lhr", "Tanggal Lhr", "Tgl_lahir", "Birth Date", "DOB");
        Add(RosterField.PlaceAndDateOfBirth, "Tempat/Tanggal Lahir", "Tempat, Tgl Lahir", "TTL", "Tempat Tanggal Lahir",
            "Tempat dan Tanggal Lahir", "Tempat/Tgl Lahir", "Tempat, Tanggal Lahir", "Tmp/Tgl Lahir", "Tmpt/Tgl Lahir");
        Add(RosterField.Address, "Alamat", "Alamat Lengkap", "Alamat KTP", "Alamat Domisili", "Address");
        Add(RosterField.Rt, "RT", "No RT");
        Add(RosterField.Rw, "RW", "No RW");
        Add(RosterField.RtRw, "RT/RW", "RT RW", "RT / RW");
        Add(RosterField.Village, "Desa", "Kelurahan", "Desa/Kelurahan", "Nama Desa", "Nagari", "Desa/Kel", "Kelurahan/Desa",
            "Nama Desa/Kelurahan", "Nama Kelurahan", "Nama Nagari", "Kel/Desa");
        Add(RosterField.District, "Kecamatan", "Kec", "Nama Kecamatan");
        Add(RosterField.Occupation, "Pekerjaan", "Jenis Pekerjaan", "Profesi", "Pekerjaan Utama", "Occupation");
        Add(RosterField.Segment, "Segmen", "Kategori", "Kelompok", "Jenis Pekerja", "Segmen Pekerja", "Kategori Pekerja",
            "Kelompok Pekerja", "Segment");
        Add(RosterField.Phone, "No HP", "Nomor HP", "No Telp", "Telepon", "HP", "No WA", "No HP/WA", "Nomor WA", "No Telepon",
            "Nomor Telepon", "Telp", "No Handphone", "Nomor Handphone", "Handphone", "WhatsApp", "No Tlp", "Phone");
        Add(RosterField.Source, "Sumber Data", "Sumber", "Sumber Data (DTKS/P3KE/Non-DTKS)");
        Add(RosterField.Note, "Keterangan", "Ket", "Catatan", "Ket.");
        // The renewal roster (RenewalRosterWriter) and the forms a village may retype it as.
        Add(RosterField.Renewal, RenewalAnswers.Column, "Lanjut", "Dilanjutkan", "Lanjut Kepesertaan", "Diperpanjang", "Perpanjang",
            "Perpanjang?", "Diperpanjang?", "Perpanjangan");
        Add(RosterField.RenewalReason, RenewalReasons.Column, "Alasan", "Alasan Berhenti Kepesertaan", "Alasan Tidak Lanjut",
            "Alasan Tidak Dilanjutkan", "Alasan Tidak Diperpanjang", "Alasan Berhenti");
        Add(RosterField.Ignored, "No", "No.", "No Urut", "Nomor", "Nomor Urut", "No. Urut", "Urut", "Nmr");
        return d;
    }
}
