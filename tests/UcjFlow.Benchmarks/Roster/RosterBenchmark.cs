using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ExcelDataReader;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Reading;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Benchmarks.Roster;

/// <summary>
/// `roster`: generates regency rosters (12 columns, valid NIKs of Sarolangun, 15.03) of 10,000 and 110,000 rows as
/// .xlsx, then measures, each in a fresh child process (so peak memory is that measurement's own):
/// the bare ExcelDataReader read loop touching every cell, <see cref="RosterFileReader"/> streaming every row, and the
/// whole validate pipeline (<see cref="RosterValidator.ValidateAsync"/> with the defaults of `ucjflow validate`), and
/// that pipeline on the same workbook saved as Excel's "Strict Open XML" (its namespaces rewritten to the strict ones).
/// Each child warms up once, then reports the best of three runs (wall and CPU time); peak GC heap (GC.GetTotalMemory, garbage included) is sampled every 5 ms.
/// </summary>
public static class RosterBenchmark
{
    private static readonly int[] Sizes = [10_000, 110_000];
    private static readonly string[] Modes = ["bare", "reader", "pipeline", "strict"];
    private const int Repeats = 3;
    private const string Village = "15.03.01.2001";
    private static readonly DateOnly AsOf = new(2024, 11, 1);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 3 && args[0] == "--child") return await ChildAsync(args[1], args[2]);

        var dir = Directory.CreateTempSubdirectory("ucj-roster-bench-");
        try
        {
            Console.WriteLine($"roster benchmark: .NET {Environment.Version}, {Environment.ProcessorCount} cores, {RuntimeInformationText()}");
            var results = new List<(int Rows, string Mode, Measurement M)>();
            foreach (var size in Sizes)
            {
                var path = Path.Combine(dir.FullName, $"15.03.01.2001-regency-{size}.xlsx");
                var sw = Stopwatch.StartNew();
                var rejected = RegencyRoster.Write(path, size);
                Console.WriteLine($"generated {path} ({new FileInfo(path).Length / 1024.0 / 1024:F1} MB, {size:N0} rows, {rejected} deliberately invalid) in {sw.Elapsed.TotalSeconds:F1} s");
                var strictPath = Path.ChangeExtension(path, ".strict.xlsx");
                StrictCopy.Write(path, strictPath);
                foreach (var mode in Modes)
                {
                    var m = await RunChildAsync(mode, mode == "strict" ? strictPath : path);
                    results.Add((size, mode, m));
                    Console.WriteLine($"  {mode,-8} {m.Rows,8:N0} rows  {m.Seconds,6:F2} s (cpu {m.CpuSeconds,6:F2} s)  {m.Rows / m.Seconds,9:N0} rows/s  " +
                                      $"peak working set {m.PeakWorkingSet / 1048576.0,6:F0} MB  peak GC heap {m.PeakHeap / 1048576.0,6:F0} MB  {m.Note}");
                }
            }
            Console.WriteLine();
            Console.WriteLine("| rows | bare read rows/s | reader rows/s | pipeline rows/s | reader ÷ bare (wall / cpu) | pipeline ÷ bare (wall / cpu) | peak working set bare / reader / pipeline (MB) | peak GC heap bare / reader / pipeline (MB) |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var size in Sizes)
            {
                Measurement Of(string mode) => results.Single(r => r.Rows == size && r.Mode == mode).M;
                var (b, r, p) = (Of("bare"), Of("reader"), Of("pipeline"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {size:N0} | {b.Rows / b.Seconds:N0} | {r.Rows / r.Seconds:N0} | {p.Rows / p.Seconds:N0} | " +
                    $"{r.Seconds / b.Seconds:F2} / {r.CpuSeconds / b.CpuSeconds:F2} | {p.Seconds / b.Seconds:F2} / {p.CpuSeconds / b.CpuSeconds:F2} | " +
                    $"{b.PeakWorkingSet / 1048576.0:F0} / {r.PeakWorkingSet / 1048576.0:F0} / {p.PeakWorkingSet / 1048576.0:F0} | " +
                    $"{b.PeakHeap / 1048576.0:F0} / {r.PeakHeap / 1048576.0:F0} / {p.PeakHeap / 1048576.0:F0} |"));
            }
            var big = Sizes[^1];
            var bare = results.Single(x => x.Rows == big && x.Mode == "bare").M;
            var pipeline = results.Single(x => x.Rows == big && x.Mode == "pipeline").M;
            var strict = results.Single(x => x.Rows == big && x.Mode == "strict").M;
            var ratio = pipeline.Seconds / bare.Seconds;
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio pipeline ÷ bare at {big:N0} rows: {ratio:F2} wall, {pipeline.CpuSeconds / bare.CpuSeconds:F2} cpu (target ≤ 1.5: {(ratio <= 1.5 ? "met" : "NOT met")})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio Strict Open XML pipeline ÷ bare (transitional) read at {big:N0} rows: {strict.Seconds / bare.Seconds:F2} wall, {strict.CpuSeconds / bare.CpuSeconds:F2} cpu; " +
                $"peak working set {strict.PeakWorkingSet / 1048576.0:F0} MB, peak GC heap {strict.PeakHeap / 1048576.0:F0} MB"));
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string RuntimeInformationText() =>
        System.Runtime.InteropServices.RuntimeInformation.OSDescription + (GCSettings() ? ", server GC" : ", workstation GC");

    private static bool GCSettings() => System.Runtime.GCSettings.IsServerGC;

    private sealed record Measurement(int Rows, double Seconds, double CpuSeconds, long PeakWorkingSet, long PeakHeap, string Note);

    private static async Task<Measurement> RunChildAsync(string mode, string path)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            psi.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in new[] { "roster", "--child", mode, path }) psi.ArgumentList.Add(a);
        using var child = Process.Start(psi)!;
        var stdout = await child.StandardOutput.ReadToEndAsync();
        var stderr = await child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) throw new InvalidOperationException($"child {mode} failed: {stderr}");
        var f = stdout.Trim().Split('\t');
        return new Measurement(int.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture),
            double.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture),
            long.Parse(f[4], CultureInfo.InvariantCulture), f.Length > 5 ? f[5] : "");
    }

    private static async Task<int> ChildAsync(string mode, string path)
    {
        Func<Task<(int Rows, string Note)>> run = mode switch
        {
            "bare" => () => Task.FromResult(BareRead(path)),
            "reader" => () => ReaderAsync(path),
            "pipeline" or "strict" => () => PipelineAsync(path),
            _ => throw new ArgumentException(mode),
        };
        await run(); // warm-up: JIT and first-touch costs are not the read's
        long peakHeap = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                // The managed heap including garbage not yet collected: an upper bound of what the read holds.
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                try { await Task.Delay(5, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        // The best of three: on a shared machine the slowest runs measure the neighbours, not the code.
        var wall = double.MaxValue;
        var cpu = double.MaxValue;
        var (rows, note) = (0, "");
        using var me = Process.GetCurrentProcess();
        for (var i = 0; i < Repeats; i++)
        {
            GC.Collect();
            me.Refresh();
            var cpuBefore = me.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            (rows, note) = await run();
            sw.Stop();
            me.Refresh();
            wall = Math.Min(wall, sw.Elapsed.TotalSeconds);
            cpu = Math.Min(cpu, (me.TotalProcessorTime - cpuBefore).TotalSeconds);
        }
        sampling.Cancel();
        await sampler;
        me.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows}\t{wall:R}\t{cpu:R}\t{me.PeakWorkingSet64}\t{peakHeap}\t{note}"));
        return 0;
    }

    /// <summary>The floor: ExcelDataReader's own loop over the first sheet, reading every cell's value.</summary>
    private static (int, string) BareRead(string path)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        using var stream = File.OpenRead(path);
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        var rows = 0;
        var cells = 0L;
        while (reader.Read())
        {
            rows++;
            for (var i = 0; i < reader.FieldCount; i++)
                if (reader.GetValue(i) is not null) cells++;
        }
        return (rows - 1, $"{cells:N0} cells");
    }

    private static async Task<(int, string)> ReaderAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        using var opened = await RosterFileReader.OpenAsync(stream, path, RosterLimits.Default);
        var rows = 0;
        await foreach (var row in opened.ReadDataRowsAsync())
            if (!row[1].IsEmpty) rows++;
        return (rows, "");
    }

    private static async Task<(int, string)> PipelineAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        var report = await RosterValidator.ValidateAsync(stream, Path.GetFileName(path), ValidationSettings.Defaults(Village, AsOf));
        return (report.Rows, $"{report.Status}, {report.Valid:N0} valid, {report.Rejected:N0} rejected, {report.Issues.Count:N0} issues");
    }
}

/// <summary>
/// A regency roster as a district office would merge it: No, NIK (text), name, KK (text), sex, birth place, birth date
/// (date cell), address, village, occupation, segment, phone. NIKs are valid for Sarolangun (15.03): a current
/// district code, DDMMYY with 40 added to the day for women, a serial 0001-9999. One row in 200 carries a broken NIK.
/// </summary>
internal static class RegencyRoster
{
    private static readonly string[] Districts = ["150301", "150302", "150303", "150304", "150305", "150306", "150307", "150308", "150309", "150310"];
    private static readonly string[] Given = ["SITI", "AHMAD", "NUR", "BUDI", "RINA", "JOKO", "DEWI", "AGUS", "SRI", "EKO", "IDRUS", "YUSUF", "FITRI", "HENDRA", "LINA", "RUDI"];
    private static readonly string[] Family = ["AMINAH", "SAPUTRA", "HIDAYAT", "SANTOSO", "WATI", "SUSANTI", "PRATAMA", "RAHMAN", "LESTARI", "HASIBUAN", "SIREGAR", "NASUTION"];
    private static readonly string[] Places = ["Sarolangun", "Jambi", "Bangko", "Muara Bungo", "Palembang"];
    private static readonly string[] Jobs = ["Petani", "Buruh Tani", "Pedagang", "Nelayan", "Marbot", "Pekebun Sawit"];
    private static readonly string[] Segments = ["Pekerja Rentan", "Pekerja Rentan", "Pekerja Keagamaan", "Nelayan", "Petani Sawit", "Badan Adhoc"];

    /// <summary>Writes the roster and returns how many rows were made invalid on purpose.</summary>
    public static int Write(string path, int rows)
    {
        var random = new Random(15_03);
        var shared = new SharedStrings();
        var ordered = shared.Ordered;
        int S(string s) => shared.IndexOf(s);
        string[] headers = ["No", "NIK", "Nama Lengkap", "No KK", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir", "Alamat", "Desa/Kelurahan", "Pekerjaan", "Segmen", "No HP"];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var invalid = 0;
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var wb = doc.AddWorkbookPart();
        wb.Workbook = new Workbook();
        var styles = wb.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "dd\\-mm\\-yyyy" }) { Count = 1 },
            new Fonts(new Font()) { Count = 1 },
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
            new Borders(new Border()) { Count = 1 },
            new CellStyleFormats(new CellFormat()) { Count = 1 },
            new CellFormats(new CellFormat(), new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true }, new CellFormat { NumberFormatId = 49, ApplyNumberFormat = true }) { Count = 3 });
        var sheetPart = wb.AddNewPart<WorksheetPart>();
        using (var w = OpenXmlWriter.Create(sheetPart))
        {
            w.WriteStartElement(new Worksheet());
            w.WriteStartElement(new SheetData());
            WriteRow(w, 1, headers.Select(h => (object)new Shared(S(h))).ToArray());
            for (var r = 0; r < rows; r++)
            {
                var female = random.Next(2) == 0;
                var birth = new DateTime(1962, 1, 1).AddDays(random.Next(0, 365 * 43));
                string nik;
                do
                {
                    var district = Districts[random.Next(Districts.Length)];
                    var day = birth.Day + (female ? 40 : 0);
                    nik = string.Create(CultureInfo.InvariantCulture, $"{district}{day:00}{birth.Month:00}{birth.Year % 100:00}{random.Next(1, 10000):0000}");
                } while (!seen.Add(nik));
                if (r % 200 == 199)
                {
                    nik = nik[..15]; // NIK_FORMAT
                    invalid++;
                }
                var name = $"{Given[random.Next(Given.Length)]} {Family[random.Next(Family.Length)]}";
                var kk = string.Create(CultureInfo.InvariantCulture, $"{nik[..6]}{random.Next(0, 1_000_000):000000}{random.Next(1, 10000):0000}");
                var phone = string.Create(CultureInfo.InvariantCulture, $"08{random.Next(11, 99)}{random.Next(0, 100_000_000):00000000}");
                WriteRow(w, r + 2,
                [
                    (double)(r + 1), new Shared(S(nik), 2), new Shared(S(name)), new Shared(S(kk), 2), new Shared(S(female ? "P" : "L")),
                    new Shared(S(Places[random.Next(Places.Length)])), birth, new Shared(S($"Dusun {random.Next(1, 9)}")),
                    new Shared(S("Tambak Ratu")), new Shared(S(Jobs[random.Next(Jobs.Length)])), new Shared(S(Segments[random.Next(Segments.Length)])),
                    new Shared(S(phone), 2),
                ]);
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }
        var sst = wb.AddNewPart<SharedStringTablePart>();
        using (var w = OpenXmlWriter.Create(sst))
        {
            w.WriteStartElement(new SharedStringTable(), [new OpenXmlAttribute("count", "", ordered.Count.ToString(CultureInfo.InvariantCulture)), new OpenXmlAttribute("uniqueCount", "", ordered.Count.ToString(CultureInfo.InvariantCulture))]);
            foreach (var s in ordered) w.WriteElement(new SharedStringItem(new Text(s)));
            w.WriteEndElement();
        }
        wb.Workbook.AppendChild(new Sheets(new Sheet { Id = wb.GetIdOfPart(sheetPart), SheetId = 1, Name = "Data" }));
        wb.Workbook.Save();
        return invalid;
    }

    private sealed record Shared(int Index, uint Style = 0);

    private static void WriteRow(OpenXmlWriter w, int rowIndex, object[] values)
    {
        w.WriteStartElement(new Row(), [new OpenXmlAttribute("r", "", rowIndex.ToString(CultureInfo.InvariantCulture))]);
        for (var c = 0; c < values.Length; c++)
        {
            var reference = ColumnName(c) + rowIndex.ToString(CultureInfo.InvariantCulture);
            switch (values[c])
            {
                case Shared s:
                    var attrs = new List<OpenXmlAttribute> { new("r", "", reference), new("t", "", "s") };
                    if (s.Style != 0) attrs.Add(new("s", "", s.Style.ToString(CultureInfo.InvariantCulture)));
                    w.WriteStartElement(new DocumentFormat.OpenXml.Spreadsheet.Cell(), attrs);
                    w.WriteElement(new CellValue(s.Index.ToString(CultureInfo.InvariantCulture)));
                    w.WriteEndElement();
                    break;
                case DateTime d:
                    w.WriteStartElement(new DocumentFormat.OpenXml.Spreadsheet.Cell(), [new OpenXmlAttribute("r", "", reference), new OpenXmlAttribute("s", "", "1")]);
                    w.WriteElement(new CellValue(d.ToOADate().ToString(CultureInfo.InvariantCulture)));
                    w.WriteEndElement();
                    break;
                case double n:
                    w.WriteStartElement(new DocumentFormat.OpenXml.Spreadsheet.Cell(), [new OpenXmlAttribute("r", "", reference)]);
                    w.WriteElement(new CellValue(n.ToString(CultureInfo.InvariantCulture)));
                    w.WriteEndElement();
                    break;
            }
        }
        w.WriteEndElement();
    }

    private static string ColumnName(int column) => ((char)('A' + column)).ToString();
}

/// <summary>
/// The roster as Excel's "Strict Open XML Spreadsheet" save type names its parts: the SpreadsheetML, relationships and
/// DrawingML namespaces (and relationship types) in their strict form. Dates stay serial numbers here; Excel would
/// write ISO 8601 cells, which cost the reader no more.
/// </summary>
internal static class StrictCopy
{
    private static readonly (string Transitional, string Strict)[] Uris =
    [
        ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"),
        ("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships"),
        ("http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main"),
    ];

    public static void Write(string source, string target)
    {
        using var input = System.IO.Compression.ZipFile.OpenRead(source);
        using var output = System.IO.Compression.ZipFile.Open(target, System.IO.Compression.ZipArchiveMode.Create);
        foreach (var entry in input.Entries)
        {
            using var from = entry.Open();
            using var to = output.CreateEntry(entry.FullName, System.IO.Compression.CompressionLevel.Optimal).Open();
            if (!entry.FullName.EndsWith(".xml", StringComparison.Ordinal) && !entry.FullName.EndsWith(".rels", StringComparison.Ordinal))
            {
                from.CopyTo(to);
                continue;
            }
            using var reader = new StreamReader(from, Encoding.UTF8);
            var text = reader.ReadToEnd();
            foreach (var (t, s) in Uris) text = text.Replace(t, s, StringComparison.Ordinal);
            if (entry.FullName == "xl/workbook.xml") text = text.Replace("<workbook ", "<workbook conformance=\"strict\" ", StringComparison.Ordinal);
            using var writer = new StreamWriter(to, new UTF8Encoding(false));
            writer.Write(text);
        }
    }
}
