using System.Globalization;
using System.Text;

namespace UcjFlow.Core.Coverage;

/// <summary>The summary as CSV for a coordinator's spreadsheet: one row per village, UTF-8 with BOM, Indonesian headers.</summary>
public static class CoverageCsv
{
    public static readonly string[] Header =
        ["Kode Kecamatan", "Kecamatan", "Kode Desa/Kelurahan", "Desa/Kelurahan", "Jenis", "Diajukan", "Disetujui", "Menunggu", "Ditolak", "Belum Mengirim"];

    /// <summary>The text without the BOM (see <see cref="WriteAsync"/> for the file form).</summary>
    public static string Render(CoverageSummary summary)
    {
        var sb = new StringBuilder();
        sb.Append(CsvText.Line(Header));
        foreach (var d in summary.Districts)
            foreach (var v in d.Villages)
            {
                var missing = v is { Submitted: 0, Approved: 0, Pending: 0, Rejected: 0 };
                sb.Append(CsvText.Line(d.Code, d.Name, v.Code, v.Name, v.Kind,
                    N(v.Submitted), N(v.Approved), N(v.Pending), N(v.Rejected), missing ? "Ya" : "Tidak"));
            }
        return sb.ToString();
    }

    /// <summary>Writes the file bytes: UTF-8 BOM then <see cref="Render"/>.</summary>
    public static async Task WriteAsync(Stream output, CoverageSummary summary, CancellationToken cancellationToken = default)
    {
        await output.WriteAsync(CsvText.Utf8Bom.GetPreamble(), cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(Encoding.UTF8.GetBytes(Render(summary)), cancellationToken).ConfigureAwait(false);
    }

    public static byte[] ToBytes(CoverageSummary summary) => [.. CsvText.Utf8Bom.GetPreamble(), .. Encoding.UTF8.GetBytes(Render(summary))];

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
