using System.Globalization;
using System.Text;
using System.Xml;
using UcjFlow.Core.Mail;

namespace UcjFlow.Core.Coverage;

/// <summary>
/// Server-rendered SVG charts of a <see cref="CoverageSummary"/> (no script, no external resources): the kecamatan
/// ranked by coverage, and the trend of the regency's coverage over the daily snapshots. Written with
/// <see cref="XmlWriter"/>, so every name is escaped and the result is well-formed XML; text is Indonesian.
/// </summary>
public static class CoverageSvg
{
    const int Width = 640;
    const int LabelWidth = 190;
    const int ValueWidth = 70;
    const int RowHeight = 26;
    const int Top = 34;

    /// <summary>
    /// Horizontal bars, one per kecamatan of <see cref="CoverageSummary.Ranking"/> (highest first) on a 0–100 % scale,
    /// with the target as a vertical line; kecamatan without a workforce figure are named below, without a bar.
    /// </summary>
    public static string RankedBars(CoverageSummary s)
    {
        var without = s.Districts.Where(d => d.CoveragePercent is null).Select(d => d.Name).ToList();
        var rows = Math.Max(1, s.Ranking.Count);
        var height = Top + rows * RowHeight + (without.Count > 0 ? 44 : 12);
        var barSpace = Width - LabelWidth - ValueWidth;
        return Svg(height, "coverage-ranking", "Peringkat cakupan per kecamatan", w =>
        {
            Text(w, 0, 18, "Cakupan per kecamatan (peringkat)", "title");
            if (s.Ranking.Count == 0)
                Text(w, 0, Top + 16, "Belum ada kecamatan dengan data jumlah tenaga kerja.", "note");
            for (var i = 0; i < s.Ranking.Count; i++)
            {
                var r = s.Ranking[i];
                var y = Top + i * RowHeight;
                var bar = barSpace * (double)Math.Clamp(r.CoveragePercent, 0, 100) / 100;
                w.WriteStartElement("g");
                w.WriteAttributeString("class", "bar");
                w.WriteAttributeString("data-code", r.Code);
                w.WriteElementString("title", $"{r.Rank}. {r.Name}: {IndonesianFormat.Percent(r.CoveragePercent)} ({IndonesianFormat.Number(r.Covered)} dari {IndonesianFormat.Number(r.Workforce)} orang)");
                Text(w, LabelWidth - 6, y + 17, $"{r.Rank}. {r.Name}", "label", anchor: "end");
                w.WriteStartElement("rect");
                Attr(w, "x", LabelWidth); Attr(w, "y", y + 4); Attr(w, "width", bar); Attr(w, "height", RowHeight - 8);
                w.WriteAttributeString("fill", "#0a6e3a");
                w.WriteEndElement();
                Text(w, LabelWidth + bar + 4, y + 17, IndonesianFormat.Percent(r.CoveragePercent), "value");
                w.WriteEndElement();
            }
            var target = LabelWidth + barSpace * (double)Math.Clamp(s.TargetPercent, 0, 100) / 100;
            w.WriteStartElement("line");
            Attr(w, "x1", target); Attr(w, "x2", target); Attr(w, "y1", Top - 4); Attr(w, "y2", Top + rows * RowHeight);
            w.WriteAttributeString("stroke", "#b3261e"); w.WriteAttributeString("stroke-width", "2"); w.WriteAttributeString("stroke-dasharray", "4 3");
            w.WriteElementString("title", $"Target {IndonesianFormat.Percent(s.TargetPercent)}");
            w.WriteEndElement();
            Text(w, target, Top - 8, $"target {IndonesianFormat.Percent(s.TargetPercent)}", "note", anchor: "middle");
            if (without.Count > 0)
            {
                var y = Top + rows * RowHeight + 22;
                Text(w, 0, y, $"Tanpa data jumlah tenaga kerja ({without.Count} kecamatan, hanya jumlah peserta):", "note");
                Text(w, 0, y + 16, Shorten(string.Join(", ", without), 110), "note");
            }
        });
    }

    /// <summary>
    /// The regency's coverage percentage per snapshot date as a line (scaled to the trend's own range, at least 2 points
    /// wide), first and last date and value labelled; one snapshot is one dot.
    /// </summary>
    public static string Trend(CoverageSummary s)
    {
        const int height = 170, left = 50, right = 20, top = 30, bottom = 30;
        var points = s.Trend;
        return Svg(height, "coverage-trend", "Tren cakupan harian", w =>
        {
            Text(w, 0, 18, "Tren cakupan kabupaten per hari", "title");
            if (points.Count == 0) { Text(w, 0, 50, "Belum ada data harian.", "note"); return; }
            var min = points.Min(p => p.CoveragePercent);
            var max = points.Max(p => p.CoveragePercent);
            if (max - min < 2) { var mid = (max + min) / 2; min = mid - 1; max = mid + 1; }
            double X(int i) => points.Count == 1 ? left + (Width - left - right) / 2.0 : left + i * (Width - left - right) / (double)(points.Count - 1);
            double Y(decimal p) => top + (double)((max - p) / (max - min)) * (height - top - bottom);
            Text(w, left - 4, top + 4, IndonesianFormat.Percent(max, 1), "note", anchor: "end");
            Text(w, left - 4, height - bottom + 4, IndonesianFormat.Percent(min, 1), "note", anchor: "end");
            w.WriteStartElement("polyline");
            w.WriteAttributeString("fill", "none"); w.WriteAttributeString("stroke", "#0b5394"); w.WriteAttributeString("stroke-width", "2");
            w.WriteAttributeString("points", string.Join(' ', points.Select((p, i) => $"{F(X(i))},{F(Y(p.CoveragePercent))}")));
            w.WriteEndElement();
            for (var i = 0; i < points.Count; i++)
            {
                w.WriteStartElement("circle");
                Attr(w, "cx", X(i)); Attr(w, "cy", Y(points[i].CoveragePercent)); Attr(w, "r", 3);
                w.WriteAttributeString("fill", "#0b5394");
                w.WriteElementString("title", $"{IndonesianFormat.Date(points[i].Date)}: {IndonesianFormat.Percent(points[i].CoveragePercent)}");
                w.WriteEndElement();
            }
            Text(w, left, height - 8, IndonesianFormat.Date(points[0].Date), "note");
            if (points.Count > 1) Text(w, Width - right, height - 8, IndonesianFormat.Date(points[^1].Date), "note", anchor: "end");
            Text(w, Width - right, top - 10, $"{IndonesianFormat.Percent(points[^1].CoveragePercent)} per {IndonesianFormat.Date(points[^1].Date)}", "value", anchor: "end");
        });
    }

    static string Svg(int height, string id, string label, Action<XmlWriter> body)
    {
        var sb = new StringBuilder(4096);
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false }))
        {
            w.WriteStartElement("svg", "http://www.w3.org/2000/svg");
            w.WriteAttributeString("id", id);
            w.WriteAttributeString("viewBox", $"0 0 {Width} {height}");
            w.WriteAttributeString("width", Width.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("role", "img");
            w.WriteAttributeString("aria-label", label);
            w.WriteAttributeString("font-family", "system-ui, sans-serif");
            w.WriteAttributeString("font-size", "13");
            w.WriteElementString("style", ".title{font-weight:700;font-size:15px}.note{fill:#555;font-size:12px}.value{font-weight:600}");
            body(w);
            w.WriteEndElement();
        }
        return sb.ToString();
    }

    static void Text(XmlWriter w, double x, double y, string text, string cls, string anchor = "start")
    {
        w.WriteStartElement("text");
        Attr(w, "x", x); Attr(w, "y", y);
        w.WriteAttributeString("class", cls);
        if (anchor != "start") w.WriteAttributeString("text-anchor", anchor);
        w.WriteString(text);
        w.WriteEndElement();
    }

    static void Attr(XmlWriter w, string name, double value) => w.WriteAttributeString(name, F(value));

    static string F(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);

    static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
