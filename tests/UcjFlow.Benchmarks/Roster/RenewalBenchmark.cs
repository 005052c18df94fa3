using System.Diagnostics;
using System.Globalization;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Template;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Benchmarks.Roster;

/// <summary>
/// `renewal [people]`: writes a village's renewal roster of 5,000 people (default; Sarolangun NIKs, streamed from an
/// IAsyncEnumerable) with <see cref="RenewalRosterWriter"/>, then validates the file through the intake, best of three
/// each after a warm-up. Reports the write as a ratio to the validation of the same file, and the allocated bytes per person.
/// </summary>
public static class RenewalBenchmark
{
    private const string Village = "15.03.01.2001";

    public static async Task<int> RunAsync(string[] args)
    {
        var people = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5_000;
        var input = new RenewalRosterInput(Village, "Tambak Ratu", "APBD Sarolangun 2024", new DateOnly(2024, 12, 31));
        var settings = ValidationSettings.Defaults(Village, new DateOnly(2025, 1, 1));
        byte[] file = [];
        double Best(Func<Task> run) => Enumerable.Range(0, 4).Select(i =>
        {
            var sw = Stopwatch.StartNew();
            run().GetAwaiter().GetResult();
            return (i, sw.Elapsed.TotalMilliseconds);
        }).Skip(1).Min(x => x.TotalMilliseconds);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var write = Best(async () =>
        {
            using var ms = new MemoryStream();
            await RenewalRosterWriter.WriteAsync(ms, input, People(people));
            file = ms.ToArray();
        });
        var allocatedPerWrite = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 4.0;
        RosterReport? report = null;
        var validate = Best(async () => report = await RosterValidator.ValidateAsync(new MemoryStream(file), $"{Village}-perpanjangan.xlsx", settings));
        Console.WriteLine($"renewal roster of {people:N0} people: {file.Length / 1024.0:F0} KB; write {write:F0} ms, validate {validate:F0} ms " +
                          $"(write ÷ validate {write / validate:F2}); {allocatedPerWrite / people / 1024:F1} KB allocated per person written; " +
                          $"read back {report!.Valid:N0} valid of {report.Rows:N0}");
        return report.Valid == people ? 0 : 1;
    }

    private static async IAsyncEnumerable<RenewalPerson> People(int count)
    {
        var birth = new DateOnly(1960, 1, 1);
        for (var i = 0; i < count; i++)
        {
            var born = birth.AddDays(i % 15_000);
            var female = i % 2 == 1;
            var nik = string.Create(CultureInfo.InvariantCulture, $"150301{born.Day + (female ? 40 : 0):00}{born.Month:00}{born.Year % 100:00}{i % 9999 + 1:0000}");
            yield return new RenewalPerson(nik, null, $"PESERTA NOMOR {NumberWords(i)}", born, female ? Sex.Female : Sex.Male, "rentan", "081234567890");
            if (i % 500 == 0) await Task.Yield();
        }
    }

    // Names without digits (a digit is NAME_SUSPICIOUS).
    private static string NumberWords(int i) => new(i.ToString(CultureInfo.InvariantCulture).Select(c => (char)('A' + (c - '0'))).ToArray());
}
