using System.Net;
using System.Text;
using QRCoder;
using UcjFlow.App.Api;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;

namespace UcjFlow.App.Web;

/// <summary>
/// The printable sheet of a kecamatan's access links: one card per village with the QR code of its link (SVG rendered
/// here by QRCoder: no script, no CDN), the link as text and its expiry (WIB). Print CSS keeps cards whole on A4.
/// </summary>
public static class AccessSheet
{
    /// <summary>The sheet's HTML (UTF-8 text, self-contained).</summary>
    public static string Html(Campaign campaign, string districtName, IReadOnlyList<(CampaignVillage Village, AccessLinkIssued Link)> cards)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Tautan akses desa — Kecamatan {{E(districtName)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 1rem; color: #111; }
            h1 { font-size: 1.2rem; }
            .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; }
            .card { border: 1px solid #999; padding: .75rem; break-inside: avoid; page-break-inside: avoid; }
            .card h2 { font-size: 1rem; margin: 0 0 .25rem; }
            .qr svg { width: 100%; max-width: 12rem; height: auto; display: block; margin: .5rem auto; }
            .url { font-family: monospace; font-size: .6rem; word-break: break-all; }
            .muted { color: #555; font-size: .8rem; }
            @media print { body { margin: 0; } .no-print { display: none; } .cards { grid-template-columns: repeat(2, 1fr); } }
            @page { size: A4; margin: 12mm; }
            </style></head><body>
            <h1>Tautan akses desa/kelurahan — Kecamatan {{E(districtName)}}</h1>
            <p class="muted">{{E(campaign.Name)}}. Pindai kode QR dengan ponsel untuk membuka halaman unggah desa/kelurahan tanpa memasukkan token.
            Tautan ini pribadi: berikan hanya kepada operator desa/kelurahan yang bersangkutan.</p>
            <p class="no-print"><button onclick="window.print()">Cetak</button></p>
            <div class="cards">

            """);
        using var generator = new QRCodeGenerator();
        foreach (var (village, link) in cards)
        {
            using var data = generator.CreateQrCode(link.Url, QRCodeGenerator.ECCLevel.M);
            var svg = new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", true, SvgQRCode.SizingMode.ViewBoxAttribute);
            html.Append($$"""
                <section class="card" data-village="{{E(village.Code)}}">
                <h2>{{E(village.Kind)}} {{E(village.Name)}}</h2>
                <p class="muted">{{E(village.Code)}} · berlaku sampai {{E(IndonesianFormat.DateTime(link.ExpiresAt))}}</p>
                <div class="qr">{{svg}}</div>
                <p class="url">{{E(link.Url)}}</p>
                </section>

                """);
        }
        html.Append("</div></body></html>\n");
        return html.ToString();
    }
}
