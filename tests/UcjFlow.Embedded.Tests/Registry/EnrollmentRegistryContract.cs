using System.Diagnostics;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Adapters.Registry;
using UcjFlow.Embedded.Registry;
using Xunit.Abstractions;

namespace UcjFlow.Embedded.Tests.Registry;

/// <summary>The behaviour every registry must show; run against SQLite and PostgreSQL by the subclasses.</summary>
public abstract class EnrollmentRegistryContract : IAsyncLifetime
{
    protected const string Campaign = "sarolangun-2024";
    protected static readonly DateOnly CoverageFrom = new(2024, 11, 1);
    protected static readonly DateOnly CoverageTo = new(2025, 10, 31);
    // The same regency's next year (a renewal: it starts the day after) and a DBH Sawit programme overlapping both.
    private const string Renewal = "sarolangun-2025";
    private static readonly DateOnly RenewalFrom = new(2025, 11, 1);
    private static readonly DateOnly RenewalTo = new(2026, 10, 31);
    private const string Sawit = "sarolangun-sawit-2025";
    private static readonly DateOnly SawitFrom = new(2025, 6, 1);
    private static readonly DateOnly SawitTo = new(2025, 11, 30);
    private const string VillageA = "1503012001";
    private const string VillageB = "1503012002";
    private const string District = "150301";

    private readonly ITestOutputHelper _output;
    protected readonly ManualClock Clock = new(new DateTimeOffset(2024, 10, 15, 1, 0, 0, TimeSpan.Zero));
    private SqlEnrollmentRegistry? _registry;

    protected EnrollmentRegistryContract(ITestOutputHelper output) => _output = output;

    protected SqlEnrollmentRegistry Registry => _registry ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>A registry on an empty store; the same store for every call within one test.</summary>
    protected abstract Task<SqlEnrollmentRegistry> OpenRegistryAsync(TimeProvider time);

    /// <summary>Makes the next status change to Approved fail inside the approval's transaction, after its enrolments were written.</summary>
    protected abstract Task ArmCrashBeforeApprovedAsync();

    protected abstract Task DisarmCrashAsync();

    /// <summary>Turns the store back into the schema before revocations and the audit trail (tables dropped, version lowered).</summary>
    protected abstract Task RollBackToBeforeAuditAsync();

    /// <summary>Turns the store back into schema version 4, before the running tallies and the NIK index (dropped, version lowered).</summary>
    protected abstract Task RollBackToBeforePeriodsAsync();

    public async Task InitializeAsync() => _registry = await OpenRegistryAsync(Clock);

    public virtual async Task DisposeAsync()
    {
        if (_registry is IAsyncDisposable d) await d.DisposeAsync();
    }

    // ---- batches ----

    [Fact]
    public async Task Registering_the_same_batch_id_or_the_same_content_again_returns_the_first_batch()
    {
        var first = await Registry.RegisterBatchAsync(NewBatch("b1", VillageA, hash: "aa11"));
        Clock.Advance(TimeSpan.FromMinutes(1));
        var sameId = await Registry.RegisterBatchAsync(NewBatch("b1", VillageA, hash: "other"));
        var sameContent = await Registry.RegisterBatchAsync(NewBatch("b2", VillageA, hash: "aa11"));
        var otherVillage = await Registry.RegisterBatchAsync(NewBatch("b3", VillageB, hash: "aa11"));

        Assert.True(first.Created);
        Assert.Equal(BatchStatus.Validating, first.Batch.Status);
        Assert.False(sameId.Created);
        Assert.Equal("aa11", sameId.Batch.ContentHash);
        Assert.False(sameContent.Created);
        Assert.Equal("b1", sameContent.Batch.BatchId);
        Assert.True(otherVillage.Created);
        Assert.Equal("b1", (await Registry.FindBatchByContentHashAsync(Campaign, VillageA, "aa11"))?.BatchId);
        Assert.Null(await Registry.FindBatchByContentHashAsync(Campaign, VillageA, "ffff"));
        Assert.Null(await Registry.GetBatchAsync("b2"));
        Assert.Equal(["b1", "b3"], (await Registry.ListBatchesAsync(Campaign)).Select(b => b.BatchId));
    }

    [Fact]
    public async Task A_batch_round_trips_every_field()
    {
        var registered = (await Registry.RegisterBatchAsync(NewBatch("b1", VillageA))).Batch;
        Clock.Advance(TimeSpan.FromSeconds(90));
        var completion = await Registry.CompleteValidationAsync("b1",
            new ValidationOutcome(BatchStatus.AwaitingApproval, new BatchCounts(44, 34, 10, 9), "reports/b1.json"), Rows(VillageA, 1, 34));

        var stored = await Registry.GetBatchAsync("b1");
        Assert.Equal(completion.Batch, stored);
        Assert.Equal(new BatchCounts(44, 34, 10, 9), stored!.Counts);
        Assert.Equal("Desa 1503012001", stored.VillageName);
        Assert.Equal(District, stored.DistrictCode);
        Assert.Equal("reports/b1.json", stored.ReportBlob);
        Assert.Equal(registered.CreatedAt, stored.CreatedAt);
        Assert.Equal(registered.CreatedAt + TimeSpan.FromSeconds(90), stored.UpdatedAt);
        Assert.Equal(TimeSpan.Zero, stored.CreatedAt.Offset);
        Assert.Single(await Registry.ListBatchesAsync(Campaign, BatchStatus.AwaitingApproval, VillageA));
        Assert.Empty(await Registry.ListBatchesAsync(Campaign, BatchStatus.AwaitingApproval, VillageB));
        Assert.Empty(await Registry.ListBatchesAsync(Campaign, BatchStatus.Validating));
    }

    [Fact]
    public async Task Staged_rows_keep_every_enrollee_field_and_a_retried_completion_changes_nothing()
    {
        await Registry.RegisterBatchAsync(NewBatch("b1", VillageA));
        var rows = new List<Enrollee>
        {
            new(5, Nik(1), "1503010101010001", "SITI AMINAH", "Sarolangun", new DateOnly(1980, 5, 12), Sex.Female, "RT 003/001", VillageA, "081234567890", "rentan", "Petani", "DTKS"),
            new(6, Nik(2), null, "BUDI", null, new DateOnly(1979, 1, 2), Sex.Male, null, VillageA, null, "adhoc", null, null),
        };
        var outcome = new ValidationOutcome(BatchStatus.AwaitingApproval, new BatchCounts(2, 2, 0, 0), "r.json");
        var first = await Registry.CompleteValidationAsync("b1", outcome, rows.ToAsyncEnumerable());
        var retried = await Registry.CompleteValidationAsync("b1", outcome with { Counts = new BatchCounts(9, 9, 0, 0) }, Rows(VillageA, 1, 5));

        Assert.Equal(rows, await Registry.ReadStagedRowsAsync("b1").ToListAsync());
        Assert.Equal(first.Batch, retried.Batch);
        Assert.Equal(2, (await Registry.GetBatchAsync("b1"))!.Counts.Valid);
    }

    [Fact]
    public async Task A_write_that_breaks_off_midway_leaves_nothing_and_the_writes_beside_it_stand()
    {
        // Twenty villages' validations end at once; one batch's rows break off after three of five. The SQLite registry
        // commits concurrent writes together, each in a savepoint of one transaction: the broken one must be undone alone.
        var villages = Enumerable.Range(1, 20).Select(i => $"15030120{i:D2}").ToList();
        for (var i = 0; i < villages.Count; i++) await Registry.RegisterBatchAsync(NewBatch($"b{i}", villages[i]));
        var outcome = new ValidationOutcome(BatchStatus.AwaitingApproval, new BatchCounts(5, 5, 0, 0), null);
        var writes = villages.Select((village, i) => Registry.CompleteValidationAsync($"b{i}", outcome,
            i == 7 ? BreakingOff(Rows(village, i * 10 + 1, 5), after: 3) : Rows(village, i * 10 + 1, 5))).ToList();

        await Assert.ThrowsAsync<IOException>(() => writes[7]);
        await Task.WhenAll(writes.Where((_, i) => i != 7));
        Assert.Equal(BatchStatus.Validating, (await Registry.GetBatchAsync("b7"))!.Status);
        Assert.Empty(await Registry.ReadStagedRowsAsync("b7").ToListAsync());
        for (var i = 0; i < villages.Count; i++)
        {
            if (i == 7) continue;
            Assert.Equal(BatchStatus.AwaitingApproval, (await Registry.GetBatchAsync($"b{i}"))!.Status);
            Assert.Equal(5, (await Registry.ReadStagedRowsAsync($"b{i}").ToListAsync()).Count);
        }
    }

    [Fact]
    public async Task An_unreadable_file_ends_unreadable_with_its_code()
    {
        await Registry.RegisterBatchAsync(NewBatch("b1", VillageA));
        var completion = await Registry.CompleteValidationAsync("b1",
            new ValidationOutcome(BatchStatus.Unreadable, BatchCounts.Zero, "reports/b1.json", RuleCodes.HeaderNotFound), Rows(VillageA, 1, 0));

        Assert.Equal(BatchStatus.Unreadable, completion.Batch.Status);
        Assert.Equal(RuleCodes.HeaderNotFound, (await Registry.GetBatchAsync("b1"))!.FileCode);
        Assert.Equal(DecisionOutcome.NotAwaitingApproval, (await Approve("b1", "d1")).Outcome);
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.CompleteValidationAsync("b1",
            new ValidationOutcome(BatchStatus.Approved, BatchCounts.Zero, null), Rows(VillageA, 1, 0)));
    }

    // ---- supersede ----

    [Fact]
    public async Task A_newer_upload_of_the_village_supersedes_the_batch_still_waiting()
    {
        await AwaitingBatch("old", VillageA, 1, 10);
        await AwaitingBatch("other-village", VillageB, 100, 5);
        Assert.Equal(["old"], (await Registry.FindWaitingBatchesAsync(Campaign, VillageA)).Select(b => b.BatchId));

        var completion = await AwaitingBatch("new", VillageA, 1, 12);

        Assert.Equal(["old"], completion.SupersededBatchIds);
        var old = await Registry.GetBatchAsync("old");
        Assert.Equal(BatchStatus.Superseded, old!.Status);
        Assert.Equal("new", old.SupersededBy);
        Assert.Equal(["new"], (await Registry.FindWaitingBatchesAsync(Campaign, VillageA)).Select(b => b.BatchId));
        Assert.Equal(BatchStatus.AwaitingApproval, (await Registry.GetBatchAsync("other-village"))!.Status);
        Assert.Equal(DecisionOutcome.NotAwaitingApproval, (await Approve("old", "d-old")).Outcome);
        Assert.Null(await Registry.GetEnrolmentAsync(Campaign, Nik(1)));
    }

    [Fact]
    public async Task An_older_upload_finishing_validation_after_a_newer_one_is_superseded_itself()
    {
        await Registry.RegisterBatchAsync(NewBatch("older", VillageA, hash: "h1"));
        await AwaitingBatch("newer", VillageA, 1, 3);

        var late = await Registry.CompleteValidationAsync("older",
            new ValidationOutcome(BatchStatus.AwaitingApproval, new BatchCounts(3, 3, 0, 0), null), Rows(VillageA, 1, 3));

        Assert.Equal(BatchStatus.Superseded, late.Batch.Status);
        Assert.Equal("newer", late.Batch.SupersededBy);
        Assert.Empty(late.SupersededBatchIds);
        Assert.Equal(BatchStatus.AwaitingApproval, (await Registry.GetBatchAsync("newer"))!.Status);
    }

    [Fact]
    public async Task A_newer_upload_with_nothing_valid_supersedes_nothing()
    {
        await Registry.RegisterBatchAsync(NewBatch("slow", VillageA, hash: "h1"));
        await AwaitingBatch("waiting", VillageB, 50, 1);
        await Registry.RegisterBatchAsync(NewBatch("all-invalid", VillageA, hash: "h2"));
        await Registry.CompleteValidationAsync("all-invalid", new ValidationOutcome(BatchStatus.Rejected, new BatchCounts(4, 0, 4, 0), null), Rows(VillageA, 1, 0));
        await Registry.RegisterBatchAsync(NewBatch("unreadable", VillageA, hash: "h3"));
        await Registry.CompleteValidationAsync("unreadable", new ValidationOutcome(BatchStatus.Unreadable, BatchCounts.Zero, null, RuleCodes.FileCorrupt), Rows(VillageA, 1, 0));

        var slow = await Registry.CompleteValidationAsync("slow", new ValidationOutcome(BatchStatus.AwaitingApproval, new BatchCounts(2, 2, 0, 0), null), Rows(VillageA, 1, 2));

        Assert.Equal(BatchStatus.AwaitingApproval, slow.Batch.Status);
        Assert.Null(slow.Batch.SupersededBy);
        Assert.Equal(BatchStatus.AwaitingApproval, (await Registry.GetBatchAsync("waiting"))!.Status);
    }

    [Fact]
    public async Task Supersede_only_moves_batches_not_yet_decided()
    {
        await Registry.RegisterBatchAsync(NewBatch("validating", VillageA, hash: "h1"));
        await AwaitingBatch("approved", VillageB, 1, 2);
        await Approve("approved", "d1");

        Assert.True(await Registry.SupersedeAsync("validating", "x"));
        Assert.False(await Registry.SupersedeAsync("approved", "x"));
        Assert.Equal(BatchStatus.Superseded, (await Registry.GetBatchAsync("validating"))!.Status);
        Assert.Equal(BatchStatus.Approved, (await Registry.GetBatchAsync("approved"))!.Status);
    }

    // ---- conflicts ----

    [Fact]
    public async Task Conflicts_name_the_other_village_holding_the_nik_and_since_when()
    {
        await AwaitingBatch("enrolled-b", VillageB, 1, 2);          // NIK 1, 2: enrolled by village B
        await Approve("enrolled-b", "d1");
        Clock.Advance(TimeSpan.FromHours(17));                       // 18:00 UTC: already 16 October in Jakarta
        await AwaitingBatch("waiting-c", "1503012003", 2, 2);        // NIK 2, 3: waiting in village 2003
        await AwaitingBatch("own-village", VillageA, 4, 1);          // NIK 4: the checking village's own earlier batch
        await Registry.RegisterBatchAsync(NewBatch("validating-d", "1503012004", hash: "v"));
        await Registry.CompleteValidationAsync("validating-d", new ValidationOutcome(BatchStatus.Rejected, BatchCounts.Zero, null), Rows("1503012004", 5, 1));

        var conflicts = await Registry.FindConflictsAsync(Campaign, VillageA, [Nik(1), Nik(2), Nik(3), Nik(4), Nik(5), Nik(6)], CoverageFrom, CoverageTo);

        Assert.Equal(
            [new NikConflict(Nik(1), NikConflictKind.AlreadyEnrolled, VillageB, "Desa " + VillageB, CoverageFrom, Campaign),
             new NikConflict(Nik(2), NikConflictKind.AlreadyEnrolled, VillageB, "Desa " + VillageB, CoverageFrom, Campaign),
             new NikConflict(Nik(2), NikConflictKind.InOtherVillageBatch, "1503012003", "Desa 1503012003", new DateOnly(2024, 10, 16), Campaign),
             new NikConflict(Nik(3), NikConflictKind.InOtherVillageBatch, "1503012003", "Desa 1503012003", new DateOnly(2024, 10, 16), Campaign)],
            Sorted(conflicts));
        // Another campaign of the same period: the enrolment still conflicts (one cover at a time), the waiting batch does not.
        Assert.Equal([(Nik(1), NikConflictKind.AlreadyEnrolled, Campaign)],
            (await Registry.FindConflictsAsync("another-campaign", VillageA, [Nik(1), Nik(3)], CoverageFrom, CoverageTo)).Select(c => (c.Nik, c.Kind, c.CampaignId)));
        Assert.Empty(await Registry.FindConflictsAsync(Campaign, VillageA, [], CoverageFrom, CoverageTo));
    }

    [Fact]
    public async Task A_nik_waiting_in_several_villages_names_the_oldest_batch_once()
    {
        await AwaitingBatch("first", VillageB, 1, 1);
        await AwaitingBatch("second", "1503012003", 1, 1);

        var conflicts = await Registry.FindConflictsAsync(Campaign, VillageA, [Nik(1)], CoverageFrom, CoverageTo);
        var fromB = await Registry.FindConflictsAsync(Campaign, VillageB, [Nik(1)], CoverageFrom, CoverageTo);

        var day = new DateOnly(2024, 10, 15);
        Assert.Equal([new NikConflict(Nik(1), NikConflictKind.InOtherVillageBatch, VillageB, "Desa " + VillageB, day, Campaign)], conflicts);
        Assert.Equal([new NikConflict(Nik(1), NikConflictKind.InOtherVillageBatch, "1503012003", "Desa 1503012003", day, Campaign)], fromB);
    }

    [Fact]
    public async Task Rejected_superseded_and_validating_batches_do_not_block_other_villages()
    {
        await AwaitingBatch("rejected", VillageB, 1, 1);
        await Registry.RejectAsync(new Rejection("d1", "rejected", "coord", "Data tidak lengkap"));
        await AwaitingBatch("superseded", "1503012003", 2, 1);
        await AwaitingBatch("replacement", "1503012003", 10, 1);
        await Registry.RegisterBatchAsync(NewBatch("validating", "1503012004", hash: "v"));

        var conflicts = await Registry.FindConflictsAsync(Campaign, VillageA, [Nik(1), Nik(2), Nik(3), Nik(10)], CoverageFrom, CoverageTo);

        Assert.Equal([Nik(10)], conflicts.Select(c => c.Nik));
    }

    [Fact]
    public async Task Within_the_campaign_an_approved_row_is_already_enrolled_only_when_its_period_overlaps()
    {
        await AwaitingBatch("b", VillageB, 1, 1);
        await Approve("b", "d1");

        var before = await Registry.FindConflictsAsync(Campaign, VillageA, [Nik(1)], CoverageFrom.AddDays(-30), CoverageFrom.AddDays(-1));
        var first = await Registry.FindConflictsAsync(Campaign, VillageA, [Nik(1)], CoverageFrom.AddDays(-30), CoverageFrom);
        var last = await Registry.FindConflictsAsync(Campaign, VillageA, [Nik(1)], CoverageTo, CoverageTo.AddDays(30));
        var after = await Registry.FindConflictsAsync(Campaign, VillageA, [Nik(1)], CoverageTo.AddDays(1), CoverageTo.AddDays(30));

        // Outside coverage the row is still in village B's approved batch: it is then a campaign duplicate.
        Assert.Equal([NikConflictKind.InOtherVillageBatch], before.Select(c => c.Kind));
        Assert.Equal([NikConflictKind.AlreadyEnrolled], first.Select(c => c.Kind));
        Assert.Equal([NikConflictKind.AlreadyEnrolled], last.Select(c => c.Kind));
        Assert.Equal([NikConflictKind.InOtherVillageBatch], after.Select(c => c.Kind));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Registry.FindConflictsAsync(Campaign, VillageA, [Nik(1)], CoverageTo, CoverageFrom));
    }

    [Fact]
    public async Task An_enrolment_in_another_campaign_conflicts_only_when_its_period_overlaps()
    {
        await AwaitingBatch("a", VillageB, 1, 3);                                  // NIK 1..3 enrolled in Campaign by village B
        await Approve("a", "d-a");
        await AwaitingBatch("s", "1503012003", 4, 1, campaign: Sawit);             // NIK 4 waiting in another campaign

        var sawit = await Registry.FindConflictsAsync(Sawit, VillageA, [Nik(1), Nik(2), Nik(4), Nik(9)], SawitFrom, SawitTo);
        var renewal = await Registry.FindConflictsAsync(Renewal, VillageA, [Nik(1), Nik(2), Nik(4)], RenewalFrom, RenewalTo);
        var touching = await Registry.FindConflictsAsync(Renewal, VillageA, [Nik(1)], CoverageTo, RenewalTo);
        var ownCampaign = await Registry.FindConflictsAsync(Campaign, VillageA, [Nik(4)], CoverageFrom, CoverageTo);

        // The enrolment names its own campaign, village and start; a waiting batch is a duplicate within its own campaign only.
        Assert.Equal(
            [new NikConflict(Nik(1), NikConflictKind.AlreadyEnrolled, VillageB, "Desa " + VillageB, CoverageFrom, Campaign),
             new NikConflict(Nik(2), NikConflictKind.AlreadyEnrolled, VillageB, "Desa " + VillageB, CoverageFrom, Campaign),
             new NikConflict(Nik(4), NikConflictKind.InOtherVillageBatch, "1503012003", "Desa 1503012003", new DateOnly(2024, 10, 15), Sawit)],
            Sorted(sawit));
        Assert.Empty(renewal);                                                     // the day after it ends: a renewal
        Assert.Equal([(NikConflictKind.AlreadyEnrolled, Campaign)], touching.Select(c => (c.Kind, c.CampaignId)));
        Assert.Empty(ownCampaign);
    }

    [Fact]
    public async Task A_large_conflict_lookup_finds_every_conflict()
    {
        await AwaitingBatch("b", VillageB, 1, 3000);
        var niks = Enumerable.Range(1, 6000).Select(Nik).ToList();

        var conflicts = await Registry.FindConflictsAsync(Campaign, VillageA, niks, CoverageFrom, CoverageTo);

        Assert.Equal(Enumerable.Range(1, 3000).Select(Nik), conflicts.Select(c => c.Nik).Order(StringComparer.Ordinal));
    }

    private static List<NikConflict> Sorted(IEnumerable<NikConflict> conflicts) =>
        conflicts.OrderBy(c => c.Nik, StringComparer.Ordinal).ThenBy(c => c.Kind).ToList();

    // ---- decisions and enrolments ----

    [Fact]
    public async Task Approving_enrols_every_staged_row_with_the_batch_and_decision()
    {
        await AwaitingBatch("b1", VillageA, 1, 3);
        Clock.Advance(TimeSpan.FromHours(5));

        var result = await Approve("b1", "d1");

        Assert.Equal(DecisionOutcome.Recorded, result.Outcome);
        Assert.Equal(BatchStatus.Approved, result.BatchStatus);
        Assert.Equal((3, 0), (result.Record!.Enrolled, result.Record.Skipped));
        Assert.Equal(BatchStatus.Approved, (await Registry.GetBatchAsync("b1"))!.Status);
        var enrolment = await Registry.GetEnrolmentAsync(Campaign, Nik(2));
        Assert.Equal(new Enrolment(Campaign, Nik(2), "PESERTA 2", BirthDate(2), Sex.Female, VillageA, District, "rentan", "b1", "d1", CoverageFrom, CoverageTo), enrolment);
        var decision = await Registry.GetDecisionAsync("b1");
        Assert.Equal(result.Record, decision);
        Assert.Equal(Clock.GetUtcNow(), decision!.DecidedAt);
    }

    [Fact]
    public async Task Approving_twice_enrols_each_person_once_and_reports_the_same_counts()
    {
        await AwaitingBatch("b1", VillageA, 1, 700);

        var first = await Approve("b1", "d1");
        Clock.Advance(TimeSpan.FromMinutes(3));
        var retry = await Approve("b1", "d1");
        var second = await Approve("b1", "d2");

        Assert.Equal(DecisionOutcome.Recorded, first.Outcome);
        Assert.Equal(DecisionOutcome.Replayed, retry.Outcome);
        Assert.Equal(first.Record, retry.Record);
        Assert.Equal(DecisionOutcome.AlreadyDecided, second.Outcome);
        Assert.Equal("d1", second.Record!.DecisionId);
        Assert.Equal(700, (await Registry.ReadEnrolledRowsAsync("b1").ToListAsync()).Count);
        Assert.Equal(700, (await Registry.GetVillageTalliesAsync(Campaign, CoverageFrom)).Single().Approved);
        Assert.Single(await Registry.ListDecisionsAsync(Campaign));
    }

    [Fact]
    public async Task An_approval_failing_midway_leaves_nothing_and_its_retry_enrols_each_person_once()
    {
        await AwaitingBatch("b1", VillageA, 1, 50);
        await ArmCrashBeforeApprovedAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => Approve("b1", "d1"));

        Assert.Equal(BatchStatus.AwaitingApproval, (await Registry.GetBatchAsync("b1"))!.Status);
        Assert.Null(await Registry.GetDecisionAsync("b1"));
        Assert.Null(await Registry.GetEnrolmentAsync(Campaign, Nik(1)));
        Assert.Equal(new VillageTally(VillageA, 50, 0, 50, 0), (await Registry.GetVillageTalliesAsync(Campaign, CoverageFrom)).Single());

        await DisarmCrashAsync();
        var retry = await Approve("b1", "d1");

        Assert.Equal(DecisionOutcome.Recorded, retry.Outcome);
        Assert.Equal((50, 0), (retry.Record!.Enrolled, retry.Record.Skipped));
        Assert.Equal(50, (await Registry.ReadEnrolledRowsAsync("b1").ToListAsync()).Count);
    }

    [Fact]
    public async Task A_nik_enrolled_meanwhile_by_another_batch_is_skipped_and_counted()
    {
        await AwaitingBatch("a", VillageA, 1, 5);     // NIK 1..5
        await AwaitingBatch("b", VillageB, 4, 5);     // NIK 4..8: 4 and 5 in both
        await Approve("b", "db");

        var result = await Approve("a", "da");

        Assert.Equal((3, 2), (result.Record!.Enrolled, result.Record.Skipped));
        Assert.Equal("b", (await Registry.GetEnrolmentAsync(Campaign, Nik(4)))!.BatchId);
        Assert.Equal([1, 2, 3], (await Registry.ReadEnrolledRowsAsync("a").ToListAsync()).Select(r => r.Row));
        Assert.Equal(5, (await Registry.ReadStagedRowsAsync("a").ToListAsync()).Count);
    }

    [Fact]
    public async Task Concurrent_approvals_of_two_batches_holding_the_same_niks_enrol_each_nik_exactly_once()
    {
        await AwaitingBatch("a", VillageA, 1, 400);     // NIK 1..400
        await AwaitingBatch("b", VillageB, 201, 400);   // NIK 201..600: 200 shared

        // A second registry instance on the same store: two hosts (or two activity workers) committing at once.
        var other = await OpenRegistryAsync(Clock);
        try
        {
            var results = await Task.WhenAll(
                Task.Run(() => Registry.ApproveAsync(new Approval("da", "a", "coord-1", CoverageFrom, CoverageTo))),
                Task.Run(() => other.ApproveAsync(new Approval("db", "b", "coord-2", CoverageFrom, CoverageTo))));

            Assert.All(results, r => Assert.Equal(DecisionOutcome.Recorded, r.Outcome));
            Assert.Equal(600, results.Sum(r => r.Record!.Enrolled));
            Assert.Equal(200, results.Sum(r => r.Record!.Skipped));
            var tallies = await Registry.GetVillageTalliesAsync(Campaign, CoverageFrom);
            Assert.Equal(600, tallies.Sum(t => t.Approved));
            var a = (await Registry.ReadEnrolledRowsAsync("a").ToListAsync()).Select(r => r.Nik);
            var b = (await Registry.ReadEnrolledRowsAsync("b").ToListAsync()).Select(r => r.Nik);
            Assert.Empty(a.Intersect(b));
        }
        finally
        {
            if (other is IAsyncDisposable d) await d.DisposeAsync();
        }
    }

    [Fact]
    public async Task Approving_enrols_a_nik_again_in_a_later_campaign_but_skips_one_with_an_overlapping_enrolment()
    {
        await AwaitingBatch("a", VillageA, 1, 5);                                           // Campaign: NIK 1..5
        await Approve("a", "d-a");
        await AwaitingBatch("r", VillageA, 1, 3, campaign: Renewal);                        // the next year: NIK 1..3
        await AwaitingBatch("r2", VillageB, 6, 1, campaign: Renewal);                       // and NIK 6
        var renewed = (await Approve("r", "d-r", from: RenewalFrom, to: RenewalTo)).Record!;
        await Approve("r2", "d-r2", from: RenewalFrom, to: RenewalTo);
        // DBH Sawit, June to November 2025: NIK 4, 5 overlap Campaign, NIK 6 the renewal; NIK 7, 8 are free.
        await AwaitingBatch("s", VillageB, 4, 5, campaign: Sawit);

        var sawit = (await Approve("s", "d-s", from: SawitFrom, to: SawitTo)).Record!;

        Assert.Equal((3, 0), (renewed.Enrolled, renewed.Skipped));
        Assert.Equal((2, 3), (sawit.Enrolled, sawit.Skipped));
        Assert.Equal([Nik(7), Nik(8)], (await Registry.ReadEnrolledRowsAsync("s").ToListAsync()).Select(r => r.Nik));
        Assert.Equal((CoverageFrom, CoverageTo), Period(await Registry.GetEnrolmentAsync(Campaign, Nik(1))));
        Assert.Equal((RenewalFrom, RenewalTo), Period(await Registry.GetEnrolmentAsync(Renewal, Nik(1))));
        Assert.Null(await Registry.GetEnrolmentAsync(Sawit, Nik(4)));
        Assert.Equal((SawitFrom, SawitTo), Period(await Registry.GetEnrolmentAsync(Sawit, Nik(7))));

        static (DateOnly, DateOnly)? Period(Enrolment? e) => e is null ? null : (e.CoverageFrom, e.CoverageTo);
    }

    [Fact]
    public async Task Concurrent_approvals_in_two_campaigns_with_overlapping_periods_enrol_each_nik_once()
    {
        await AwaitingBatch("a", VillageA, 1, 2000);                         // Campaign: NIK 1..2000
        await AwaitingBatch("s", VillageB, 1, 2000, campaign: Sawit);        // Sawit, overlapping: the same NIKs

        var other = await OpenRegistryAsync(Clock);
        try
        {
            var results = await Task.WhenAll(
                Task.Run(() => Registry.ApproveAsync(new Approval("da", "a", "coord-1", CoverageFrom, CoverageTo))),
                Task.Run(() => other.ApproveAsync(new Approval("ds", "s", "coord-2", SawitFrom, SawitTo))));

            Assert.Equal(2000, results.Sum(r => r.Record!.Enrolled));
            Assert.Equal(2000, results.Sum(r => r.Record!.Skipped));
            var active = await Registry.GetActiveCountsAsync([Campaign, Sawit], SawitFrom);
            Assert.Equal(2000, active.Sum(c => c.Active));
        }
        finally
        {
            if (other is IAsyncDisposable d) await d.DisposeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_decisions_on_one_batch_record_exactly_one()
    {
        await AwaitingBatch("a", VillageA, 1, 300);
        var other = await OpenRegistryAsync(Clock);
        try
        {
            var results = await Task.WhenAll(
                Task.Run(() => Registry.ApproveAsync(new Approval("d1", "a", "coord-1", CoverageFrom, CoverageTo))),
                Task.Run(() => other.RejectAsync(new Rejection("d2", "a", "coord-2", "Salah desa"))));

            Assert.Single(results, r => r.Outcome == DecisionOutcome.Recorded);
            Assert.Single(results, r => r.Outcome == DecisionOutcome.AlreadyDecided);
            var winner = results.Single(r => r.Outcome == DecisionOutcome.Recorded).Record!;
            Assert.Equal(winner, await Registry.GetDecisionAsync("a"));
            var enrolled = (await Registry.GetVillageTalliesAsync(Campaign, CoverageFrom)).Single().Approved;
            Assert.Equal(winner.Kind == DecisionKind.Approve ? 300 : 0, enrolled);
        }
        finally
        {
            if (other is IAsyncDisposable d) await d.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_decision_is_kept_as_an_audit_record()
    {
        await AwaitingBatch("a", VillageA, 1, 3);
        await AwaitingBatch("b", VillageB, 10, 2);
        await Approve("a", "d-approve", by: "kabid@disnaker");
        Clock.Advance(TimeSpan.FromDays(1));
        var rejected = await Registry.RejectAsync(new Rejection("d-reject", "b", "kadis@disnaker", "Dokumen tidak sesuai"));

        await Assert.ThrowsAsync<ArgumentException>(() => Registry.RejectAsync(new Rejection("d3", "b", "x", " ")));
        Assert.Equal(DecisionOutcome.BatchNotFound, (await Approve("missing", "d4")).Outcome);
        var audit = await Registry.ListDecisionsAsync(Campaign);

        Assert.Equal(BatchStatus.Rejected, rejected.BatchStatus);
        Assert.Equal(["d-approve", "d-reject"], audit.Select(d => d.DecisionId));
        Assert.Equal((DecisionKind.Approve, "kabid@disnaker", 3, 0), (audit[0].Kind, audit[0].DecidedBy, audit[0].Enrolled, audit[0].Skipped));
        Assert.Equal((DecisionKind.Reject, "Dokumen tidak sesuai", 0), (audit[1].Kind, audit[1].Reason, audit[1].Enrolled));
        Assert.Equal(TimeSpan.FromDays(1), audit[1].DecidedAt - audit[0].DecidedAt);
        Assert.Equal(BatchStatus.Rejected, (await Registry.GetBatchAsync("b"))!.Status);
        Assert.Null(await Registry.GetEnrolmentAsync(Campaign, Nik(10)));
    }

    // ---- decide-once claims ----

    [Fact]
    public async Task Of_twenty_racing_claims_on_one_batch_exactly_one_wins_and_it_is_the_one_stored()
    {
        await AwaitingBatch("b1", VillageA, 1, 3);
        var claims = Enumerable.Range(0, 20)
            .Select(i => new DecisionClaim("b1", $"d{i}", i % 2 == 0, i % 2 == 0 ? null : "NIK ganda", $"koordinator-{i}", Clock.GetUtcNow()))
            .ToList();

        var won = await Task.WhenAll(claims.Select(c => Task.Run(() => Registry.ClaimDecisionAsync(c))));

        Assert.Single(won, w => w);
        var winner = claims[Array.IndexOf(won, true)];
        Assert.Equal(winner, await Registry.GetDecisionClaimAsync("b1"));
    }

    [Fact]
    public async Task A_claim_reads_back_as_given_to_the_microsecond_and_stays_after_the_decision()
    {
        await AwaitingBatch("b1", VillageA, 1, 3);
        var claim = new DecisionClaim("b1", "d1", false, "Bukan warga desa ini", "budi", Clock.GetUtcNow().AddTicks(123_456_7));
        Assert.True(await Registry.ClaimDecisionAsync(claim));
        Assert.Equal(claim with { ClaimedAt = Clock.GetUtcNow().AddTicks(123_456_0) }, await Registry.GetDecisionClaimAsync("b1"));

        Assert.Equal(DecisionOutcome.Recorded, (await Registry.RejectAsync(new Rejection("d1", "b1", "budi", "Bukan warga desa ini"))).Outcome);

        Assert.False(await Registry.ClaimDecisionAsync(claim with { DecisionId = "d2", Approve = true, Reason = null }));
        Assert.Equal("d1", (await Registry.GetDecisionClaimAsync("b1"))!.DecisionId);
        Assert.Null(await Registry.GetDecisionClaimAsync("b2"));
    }

    [Fact]
    public async Task An_expired_batch_takes_no_claim_and_a_claimed_one_does_not_expire()
    {
        await AwaitingBatch("b1", VillageA, 1, 3);
        await AwaitingBatch("b2", VillageB, 10, 3);
        Assert.True(await Registry.ClaimDecisionAsync(new DecisionClaim("b2", "d2", true, null, "budi", Clock.GetUtcNow())));

        Assert.Equal(ExpiryOutcome.Expired, await Registry.ExpireAsync("b1"));
        Assert.Equal(ExpiryOutcome.Replayed, await Registry.ExpireAsync("b1"));
        Assert.Equal(ExpiryOutcome.DecisionClaimed, await Registry.ExpireAsync("b2"));
        Assert.Equal(ExpiryOutcome.BatchNotFound, await Registry.ExpireAsync("missing"));

        Assert.Equal(BatchStatus.Expired, (await Registry.GetBatchAsync("b1"))!.Status);
        Assert.False(await Registry.ClaimDecisionAsync(new DecisionClaim("b1", "d1", true, null, "budi", Clock.GetUtcNow())));
        Assert.Null(await Registry.GetDecisionClaimAsync("b1"));
        Assert.Equal(DecisionOutcome.NotAwaitingApproval, (await Approve("b1", "d1")).Outcome);
        Assert.Equal(BatchStatus.AwaitingApproval, (await Registry.GetBatchAsync("b2"))!.Status);
        Assert.Equal(DecisionOutcome.Recorded, (await Approve("b2", "d2")).Outcome);
        Assert.Equal(ExpiryOutcome.NotAwaitingApproval, await Registry.ExpireAsync("b2"));
        // An expired batch is no longer pending: its rows leave the tallies, its NIKs block no other village.
        Assert.DoesNotContain(await Registry.GetVillageTalliesAsync(Campaign, new DateOnly(2024, 11, 1)), t => t.VillageCode == VillageA);
    }

    [Fact]
    public async Task Of_racing_claims_and_the_expiry_exactly_one_wins()
    {
        for (var round = 0; round < 5; round++)
        {
            var batch = $"r{round}";
            await AwaitingBatch(batch, VillageA, 1 + 10 * round, 3);
            var claims = Enumerable.Range(0, 8).Select(i => new DecisionClaim(batch, $"{batch}-d{i}", true, null, $"koordinator-{i}", Clock.GetUtcNow())).ToList();
            var expiry = Task.Run(() => Registry.ExpireAsync(batch));
            var won = await Task.WhenAll(claims.Select(c => Task.Run(() => Registry.ClaimDecisionAsync(c))));

            var expired = await expiry == ExpiryOutcome.Expired;
            Assert.Equal(1, won.Count(w => w) + (expired ? 1 : 0));
            Assert.Equal(expired ? BatchStatus.Expired : BatchStatus.AwaitingApproval, (await Registry.GetBatchAsync(batch))!.Status);
            Assert.Equal(expired, await Registry.GetDecisionClaimAsync(batch) is null);
        }
    }

    [Fact]
    public async Task Pending_claims_are_those_whose_batch_still_awaits_approval()
    {
        await AwaitingBatch("b1", VillageA, 1, 3);
        await AwaitingBatch("b2", VillageB, 10, 3);
        Assert.True(await Registry.ClaimDecisionAsync(new DecisionClaim("b1", "d1", true, null, "budi", Clock.GetUtcNow())));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await Registry.ClaimDecisionAsync(new DecisionClaim("b2", "d2", true, null, "budi", Clock.GetUtcNow())));
        Assert.Equal(["b1", "b2"], (await Registry.ListPendingDecisionClaimsAsync(Campaign)).Select(c => c.BatchId));

        Assert.Equal(DecisionOutcome.Recorded, (await Approve("b1", "d1")).Outcome);

        Assert.Equal(["b2"], (await Registry.ListPendingDecisionClaimsAsync(Campaign)).Select(c => c.BatchId));
        Assert.Empty(await Registry.ListPendingDecisionClaimsAsync("another-campaign"));
    }

    // ---- tallies ----

    [Fact]
    public async Task Village_tallies_follow_the_documented_definitions()
    {
        // Village A: an approved batch (5 valid, 2 rows rejected by validation), then a waiting one (3 valid).
        await AwaitingBatch("a1", VillageA, 1, 5, rejectedRows: 2);
        await Approve("a1", "d1");
        await AwaitingBatch("a2", VillageA, 100, 3);
        // Village B: a rejected batch (4 valid), a superseded one, an unreadable one, and a waiting one overlapping A's NIKs.
        await AwaitingBatch("b1", VillageB, 200, 4);
        await Registry.RejectAsync(new Rejection("d2", "b1", "coord", "Salah"));
        await AwaitingBatch("b2", VillageB, 300, 6);
        await AwaitingBatch("b3", VillageB, 4, 2);      // NIK 4, 5 (enrolled by a1); supersedes b2
        await Registry.RegisterBatchAsync(NewBatch("b4", VillageB, hash: "u"));
        await Registry.CompleteValidationAsync("b4", new ValidationOutcome(BatchStatus.Unreadable, BatchCounts.Zero, null, RuleCodes.FileCorrupt), Rows(VillageB, 1, 0));
        await Approve("b3", "d3");                      // both NIKs skipped
        // Village C: only validating.
        await Registry.RegisterBatchAsync(NewBatch("c1", "1503012003", hash: "c"));

        var tallies = await Registry.GetVillageTalliesAsync(Campaign, CoverageFrom);

        Assert.Equal(
            [new VillageTally(VillageA, Submitted: 8, Approved: 5, Pending: 3, Rejected: 0),
             new VillageTally(VillageB, Submitted: 6, Approved: 0, Pending: 0, Rejected: 4)],
            tallies);
        Assert.Equal(0, (await Registry.GetVillageTalliesAsync(Campaign, CoverageTo.AddDays(1))).Sum(t => t.Approved));
        Assert.Empty(await Registry.GetVillageTalliesAsync("another-campaign", CoverageFrom));
    }

    [Fact]
    public async Task Active_counts_follow_coverage_periods_across_campaigns_and_revocations()
    {
        await AwaitingBatch("a", VillageA, 1, 3);                                  // Campaign, village A: 3 rentan
        await Approve("a", "d-a");
        await AwaitingBatch("b", VillageA, 4, 2, segment: "pu");                   // and 2 PU
        await Approve("b", "d-b");
        await AwaitingBatch("c", VillageB, 10, 2);                                 // village B: 2 rentan
        await Approve("c", "d-c");
        await AwaitingBatch("r", VillageA, 1, 2, campaign: Renewal);               // renewed the next year: NIK 1, 2
        await Approve("r", "d-r", from: RenewalFrom, to: RenewalTo);
        string[] both = [Campaign, Renewal];

        var firstYear = new[]
        {
            new ActiveCount(Campaign, VillageA, "pu", 2), new ActiveCount(Campaign, VillageA, "rentan", 3),
            new ActiveCount(Campaign, VillageB, "rentan", 2),
        };
        Assert.Empty(await Registry.GetActiveCountsAsync(both, CoverageFrom.AddDays(-1)));
        Assert.Equal(firstYear, await Registry.GetActiveCountsAsync(both, CoverageFrom));
        Assert.Equal(firstYear, await Registry.GetActiveCountsAsync(both, CoverageTo));
        Assert.Equal([new ActiveCount(Renewal, VillageA, "rentan", 2)], await Registry.GetActiveCountsAsync(both, RenewalFrom));
        Assert.Equal([new ActiveCount(Renewal, VillageA, "rentan", 2)], await Registry.GetActiveCountsAsync(both, RenewalTo));
        Assert.Empty(await Registry.GetActiveCountsAsync(both, RenewalTo.AddDays(1)));
        Assert.Empty(await Registry.GetActiveCountsAsync([Campaign], RenewalFrom));
        Assert.Empty(await Registry.GetActiveCountsAsync([], CoverageFrom));
        Assert.Equal(firstYear, await Registry.GetActiveCountsAsync([Campaign, "unknown"], CoverageFrom.AddDays(100)));

        await Registry.RevokeAsync(new Revocation("x-c", "c", "kabid", "Salah desa"));
        await Registry.RevokeAsync(new Revocation("x-b", "b", "kabid", "Salah segmen"));

        Assert.Equal([new ActiveCount(Campaign, VillageA, "rentan", 3)], await Registry.GetActiveCountsAsync(both, CoverageFrom));
        Assert.Empty(await Registry.GetActiveCountsAsync(both, CoverageFrom.AddDays(-1)));
        Assert.Equal([new ActiveCount(Renewal, VillageA, "rentan", 2)], await Registry.GetActiveCountsAsync(both, RenewalFrom));
        Assert.Equal([new VillageTally(VillageA, 3, 3, 0, 0)], await Registry.GetVillageTalliesAsync(Campaign, CoverageTo));
    }

    [Fact]
    public async Task Ending_counts_give_the_last_covered_day_of_enrolments_ending_within_the_window()
    {
        await AwaitingBatch("a", VillageA, 1, 3);                                  // Campaign: ends 2025-10-31
        await Approve("a", "d-a");
        await AwaitingBatch("s", VillageB, 10, 2, segment: "pu", campaign: Sawit); // Sawit: ends 2025-11-30
        await Approve("s", "d-s", from: SawitFrom, to: SawitTo);
        await AwaitingBatch("r", VillageA, 1, 2, campaign: Renewal);               // Renewal: ends 2026-10-31
        await Approve("r", "d-r", from: RenewalFrom, to: RenewalTo);
        string[] all = [Campaign, Sawit, Renewal];
        var campaignEnds = new EndingCount(Campaign, VillageA, "rentan", CoverageTo, 3);
        var sawitEnds = new EndingCount(Sawit, VillageB, "pu", SawitTo, 2);

        Assert.Equal([campaignEnds], await Registry.GetEndingCountsAsync(all, CoverageTo.AddDays(-1), CoverageTo));
        Assert.Empty(await Registry.GetEndingCountsAsync(all, CoverageTo.AddDays(-30), CoverageTo.AddDays(-1)));
        Assert.Equal([sawitEnds], await Registry.GetEndingCountsAsync(all, CoverageTo, SawitTo));      // from is exclusive
        Assert.Equal([campaignEnds, sawitEnds], await Registry.GetEndingCountsAsync(all, CoverageTo.AddMonths(-1), CoverageTo.AddMonths(3)));
        Assert.Equal([new EndingCount(Renewal, VillageA, "rentan", RenewalTo, 2)], await Registry.GetEndingCountsAsync(all, SawitTo, RenewalTo.AddMonths(6)));
        Assert.Empty(await Registry.GetEndingCountsAsync([Campaign], CoverageTo, RenewalTo));
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.GetEndingCountsAsync(all, CoverageTo, CoverageFrom));

        await Registry.RevokeAsync(new Revocation("x-a", "a", "kabid", "Salah desa"));

        Assert.Empty(await Registry.GetEndingCountsAsync(all, CoverageTo.AddDays(-1), CoverageTo));
        Assert.Equal([sawitEnds], await Registry.GetEndingCountsAsync(all, CoverageTo.AddMonths(-1), CoverageTo.AddMonths(3)));
    }

    [Fact]
    public async Task The_renewal_roster_is_the_village_enrolments_of_the_campaign_in_nik_order()
    {
        await AwaitingBatch("late", VillageA, 5, 3);                               // NIK 5..7, approved first
        await Approve("late", "d-late");
        await AwaitingBatch("early", VillageA, 1, 3, segment: "pu");               // NIK 1..3, approved later
        await Approve("early", "d-early");
        await AwaitingBatch("other-village", VillageB, 4, 1);
        await Approve("other-village", "d-ov");
        await AwaitingBatch("other-campaign", VillageA, 8, 1, campaign: Renewal);
        await Approve("other-campaign", "d-oc", from: RenewalFrom, to: RenewalTo);

        var roster = await Registry.ReadEnrolmentsAsync(Campaign, VillageA).ToListAsync();

        Assert.Equal([1, 2, 3, 5, 6, 7], roster.Select(e => int.Parse(e.Nik[6..], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(new Enrolment(Campaign, Nik(2), "PESERTA 2", BirthDate(2), Sex.Female, VillageA, District, "pu", "early", "d-early", CoverageFrom, CoverageTo),
            roster[1]);
        Assert.Empty(await Registry.ReadEnrolmentsAsync(Campaign, "1503012009").ToListAsync());
    }

    [Fact]
    public async Task Enrolments_made_before_the_running_tallies_existed_are_counted_when_the_schema_moves_up()
    {
        await AwaitingBatch("a", VillageA, 1, 3);
        await Approve("a", "d-a");
        await AwaitingBatch("b", VillageA, 4, 2, segment: "pu");
        await Approve("b", "d-b");
        await AwaitingBatch("s", VillageB, 10, 4, campaign: Sawit);
        await Approve("s", "d-s", from: SawitFrom, to: SawitTo);
        await RollBackToBeforePeriodsAsync();

        var reopened = await OpenRegistryAsync(Clock);
        try
        {
            string[] both = [Campaign, Sawit];
            Assert.Equal(
                [new ActiveCount(Campaign, VillageA, "pu", 2), new ActiveCount(Campaign, VillageA, "rentan", 3), new ActiveCount(Sawit, VillageB, "rentan", 4)],
                await reopened.GetActiveCountsAsync(both, SawitFrom));
            Assert.Equal([new ActiveCount(Sawit, VillageB, "rentan", 4)], await reopened.GetActiveCountsAsync(both, CoverageTo.AddDays(1)));
            Assert.Equal(
                [new EndingCount(Campaign, VillageA, "pu", CoverageTo, 2), new EndingCount(Campaign, VillageA, "rentan", CoverageTo, 3)],
                await reopened.GetEndingCountsAsync(both, CoverageFrom, CoverageTo));
            // Maintained from there on: the revocation takes its enrolments out of the backfilled tallies.
            await reopened.RevokeAsync(new Revocation("x-b", "b", "kabid", "Salah segmen"));
            Assert.Equal([new ActiveCount(Campaign, VillageA, "rentan", 3)], await reopened.GetActiveCountsAsync([Campaign], CoverageFrom));
        }
        finally
        {
            if (reopened is IAsyncDisposable d) await d.DisposeAsync();
        }
    }

    // ---- scale ----

    [Fact]
    public async Task A_regency_sized_batch_of_110k_rows_stages_and_commits_in_one_go()
    {
        const int count = 110_000;
        await Registry.RegisterBatchAsync(NewBatch("big", VillageA));
        var watch = Stopwatch.StartNew();
        await Registry.CompleteValidationAsync("big",
            new ValidationOutcome(BatchStatus.AwaitingApproval, new BatchCounts(count, count, 0, 0), null), Rows(VillageA, 1, count));
        var staged = watch.Elapsed;
        var conflicts = await Registry.FindConflictsAsync(Campaign, VillageB, Enumerable.Range(1, count).Select(Nik).ToList(), CoverageFrom, CoverageTo);
        var looked = watch.Elapsed - staged;
        var result = await Approve("big", "d1");
        var committed = watch.Elapsed - staged - looked;
        _output.WriteLine($"{GetType().Name}: staged {count} rows in {staged.TotalMilliseconds:F0} ms, conflict lookup {looked.TotalMilliseconds:F0} ms, commit {committed.TotalMilliseconds:F0} ms");

        Assert.Equal(count, conflicts.Count(c => c.Kind == NikConflictKind.InOtherVillageBatch));
        Assert.Equal((count, 0), (result.Record!.Enrolled, result.Record.Skipped));
        Assert.Equal(count, (await Registry.GetVillageTalliesAsync(Campaign, CoverageFrom)).Single().Approved);
    }

    // ---- revocation, export-sent marks, audit ----

    [Fact]
    public async Task Revoking_removes_exactly_the_batch_enrolments_and_a_later_batch_can_enrol_those_niks_again()
    {
        await AwaitingBatch("a", VillageA, 1, 10);
        await Approve("a", "d-a");
        // Village B's batch holds NIK 10 (skipped: enrolled by a) and 11–15 (enrolled by b).
        await AwaitingBatch("b", VillageB, 10, 6);
        var b = (await Approve("b", "d-b")).Record!;
        Assert.Equal((5, 1), (b.Enrolled, b.Skipped));
        Clock.Advance(TimeSpan.FromHours(2));

        var result = await Registry.RevokeAsync(new Revocation("r1", "a", "kabid@disnaker", "  Salah desa  "));

        Assert.Equal(RevocationOutcome.Revoked, result.Outcome);
        Assert.Equal(BatchStatus.Revoked, result.BatchStatus);
        Assert.Equal(new RevocationRecord("r1", "a", Campaign, "kabid@disnaker", Clock.GetUtcNow(), "Salah desa", 10), result.Record);
        Assert.Equal(result.Record, await Registry.GetRevocationAsync("a"));
        Assert.Equal(BatchStatus.Revoked, (await Registry.GetBatchAsync("a"))!.Status);
        foreach (var n in Enumerable.Range(1, 10)) Assert.Null(await Registry.GetEnrolmentAsync(Campaign, Nik(n)));
        foreach (var n in Enumerable.Range(11, 5)) Assert.Equal("b", (await Registry.GetEnrolmentAsync(Campaign, Nik(n)))!.BatchId);
        Assert.Empty(await Registry.ReadEnrolledRowsAsync("a").ToListAsync());
        var tallies = await Registry.GetVillageTalliesAsync(Campaign, CoverageFrom);
        Assert.Equal([new VillageTally(VillageB, 6, 5, 0, 0)], tallies); // a revoked batch counts nowhere

        // A revoked batch blocks nobody: village B's new batch with NIKs 1–10 finds no conflict and enrols them all.
        Assert.Empty(await Registry.FindConflictsAsync(Campaign, VillageB, Enumerable.Range(1, 9).Select(Nik).ToList(), CoverageFrom, CoverageTo));
        await AwaitingBatch("c", VillageB, 1, 9);
        var c = (await Approve("c", "d-c")).Record!;
        Assert.Equal((9, 0), (c.Enrolled, c.Skipped));
        Assert.Equal("c", (await Registry.GetEnrolmentAsync(Campaign, Nik(1)))!.BatchId);
    }

    [Fact]
    public async Task A_revocation_is_refused_once_the_export_is_marked_sent_and_the_mark_is_refused_on_a_revoked_batch()
    {
        await AwaitingBatch("a", VillageA, 1, 3);
        await Approve("a", "d-a");
        await AwaitingBatch("b", VillageB, 10, 2);
        await Approve("b", "d-b");

        var mark = await Registry.MarkExportSentAsync("a", "operator-bpjs");
        Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await Registry.MarkExportSentAsync("a", "someone-else");
        var refused = await Registry.RevokeAsync(new Revocation("r1", "a", "kabid", "Terlambat"));

        Assert.Equal(ExportMarkOutcome.Marked, mark.Outcome);
        Assert.Equal(ExportMarkOutcome.AlreadyMarked, again.Outcome);
        Assert.Equal(mark.Mark, again.Mark);
        Assert.Equal(RevocationOutcome.ExportSent, refused.Outcome);
        Assert.Equal(BatchStatus.Approved, (await Registry.GetBatchAsync("a"))!.Status);
        Assert.Equal(3, (await Registry.GetVillageTalliesAsync(Campaign, CoverageFrom)).Single(t => t.VillageCode == VillageA).Approved);
        Assert.Null(await Registry.GetRevocationAsync("a"));

        Assert.Equal(RevocationOutcome.Revoked, (await Registry.RevokeAsync(new Revocation("r2", "b", "kabid", "Data ganda"))).Outcome);
        Assert.Equal(ExportMarkOutcome.NotApproved, (await Registry.MarkExportSentAsync("b", "operator-bpjs")).Outcome);
    }

    [Fact]
    public async Task Only_an_approved_batch_can_be_revoked_and_a_retried_revocation_replays()
    {
        await AwaitingBatch("w", VillageA, 1, 3);
        await AwaitingBatch("x", VillageB, 10, 3);
        await Registry.RejectAsync(new Rejection("d-x", "x", "kabid", "Salah"));

        Assert.Equal(RevocationOutcome.NotApproved, (await Registry.RevokeAsync(new Revocation("r1", "w", "kabid", "alasan"))).Outcome);
        Assert.Equal(RevocationOutcome.NotApproved, (await Registry.RevokeAsync(new Revocation("r2", "x", "kabid", "alasan"))).Outcome);
        Assert.Equal(RevocationOutcome.BatchNotFound, (await Registry.RevokeAsync(new Revocation("r3", "missing", "kabid", "alasan"))).Outcome);
        Assert.Equal(ExportMarkOutcome.NotApproved, (await Registry.MarkExportSentAsync("w", "kabid")).Outcome);
        Assert.Equal(ExportMarkOutcome.BatchNotFound, (await Registry.MarkExportSentAsync("missing", "kabid")).Outcome);
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.RevokeAsync(new Revocation("r4", "w", "kabid", " ")));

        await Approve("w", "d-w");
        var first = await Registry.RevokeAsync(new Revocation("r5", "w", "kabid", "alasan"));
        var retry = await Registry.RevokeAsync(new Revocation("r5", "w", "kabid", "alasan"));
        var second = await Registry.RevokeAsync(new Revocation("r6", "w", "kadis", "lain"));
        Assert.Equal((RevocationOutcome.Revoked, RevocationOutcome.Replayed, RevocationOutcome.AlreadyRevoked), (first.Outcome, retry.Outcome, second.Outcome));
        Assert.Equal(first.Record, retry.Record);
        Assert.Equal(first.Record, second.Record);
        Assert.Equal(["r5"], (await Registry.ListRevocationsAsync(Campaign)).Select(r => r.RevocationId));
    }

    [Fact]
    public async Task Of_racing_revocations_and_an_export_mark_exactly_one_wins()
    {
        await AwaitingBatch("a", VillageA, 1, 200);
        await Approve("a", "d-a");
        var other = await OpenRegistryAsync(Clock);
        try
        {
            var revokes = Enumerable.Range(0, 10).Select(i => Task.Run(() =>
                (i % 2 == 0 ? Registry : other).RevokeAsync(new Revocation($"r{i}", "a", $"koordinator-{i}", "Salah desa")))).ToList();
            var mark = Task.Run(() => other.MarkExportSentAsync("a", "operator-bpjs"));
            var results = await Task.WhenAll(revokes);
            var marked = await mark;

            var revoked = results.Where(r => r.Outcome == RevocationOutcome.Revoked).ToList();
            if (marked.Outcome == ExportMarkOutcome.Marked)
            {
                // The mark came first: nobody revoked, everyone was told the export went out.
                Assert.Empty(revoked);
                Assert.All(results, r => Assert.Equal(RevocationOutcome.ExportSent, r.Outcome));
                Assert.Equal(200, (await Registry.GetVillageTalliesAsync(Campaign, CoverageFrom)).Single().Approved);
            }
            else
            {
                Assert.Equal(ExportMarkOutcome.NotApproved, marked.Outcome);
                var winner = Assert.Single(revoked).Record!;
                Assert.All(results.Where(r => r.Outcome != RevocationOutcome.Revoked), r =>
                {
                    Assert.Equal(RevocationOutcome.AlreadyRevoked, r.Outcome);
                    Assert.Equal(winner, r.Record);
                });
                Assert.Equal(200, winner.Unenrolled);
                Assert.Empty(await Registry.GetVillageTalliesAsync(Campaign, CoverageFrom));
            }
            Assert.Single(await Registry.ListAuditAsync(Campaign, "a"), e => e.Action is AuditAction.Revoke or AuditAction.ExportSent);
        }
        finally
        {
            if (other is IAsyncDisposable d) await d.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_decision_revocation_and_export_mark_is_audited_with_the_person_and_the_time()
    {
        await AwaitingBatch("a", VillageA, 1, 3);
        await AwaitingBatch("b", VillageB, 10, 2);
        await AwaitingBatch("c", "1503012003", 20, 2);
        var t0 = Clock.GetUtcNow();
        await Approve("a", "d-a", by: "kabid@disnaker");
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Registry.RejectAsync(new Rejection("d-b", "b", "kadis@disnaker", "Dokumen tidak sesuai"));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Approve("c", "d-c", by: "kabid@disnaker");
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Registry.MarkExportSentAsync("c", "staf@disnaker");
        await Registry.MarkExportSentAsync("c", "staf-lain@disnaker"); // a repeat adds nothing
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Registry.RevokeAsync(new Revocation("r-a", "a", "kadis@disnaker", "Salah desa"));
        await Registry.RevokeAsync(new Revocation("r-a2", "a", "kadis@disnaker", "lagi")); // refused: nothing audited
        await Registry.RevokeAsync(new Revocation("r-c", "c", "kadis@disnaker", "terlambat")); // export sent: refused

        var audit = await Registry.ListAuditAsync(Campaign);
        Assert.Equal(
            [
                ("a", AuditAction.Approve, "kabid@disnaker", t0, (string?)null),
                ("b", AuditAction.Reject, "kadis@disnaker", t0.AddMinutes(1), "Dokumen tidak sesuai"),
                ("c", AuditAction.Approve, "kabid@disnaker", t0.AddMinutes(2), null),
                ("c", AuditAction.ExportSent, "staf@disnaker", t0.AddMinutes(3), null),
                ("a", AuditAction.Revoke, "kadis@disnaker", t0.AddMinutes(4), "Salah desa"),
            ],
            audit.Select(e => (e.BatchId, e.Action, e.Actor, e.At, e.Reason)));
        Assert.All(audit, e => Assert.Equal(Campaign, e.CampaignId));
        Assert.True(audit.Zip(audit.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
        Assert.Equal([AuditAction.Approve, AuditAction.Revoke], (await Registry.ListAuditAsync(Campaign, "a")).Select(e => e.Action));
        Assert.Empty(await Registry.ListAuditAsync("other-campaign"));
    }

    [Fact]
    public async Task Decisions_recorded_before_the_audit_trail_existed_get_their_entries_when_the_schema_moves_up()
    {
        await AwaitingBatch("a", VillageA, 1, 3);
        await AwaitingBatch("b", VillageB, 10, 2);
        var approved = (await Approve("a", "d-a", by: "kabid@disnaker")).Record!;
        Clock.Advance(TimeSpan.FromMinutes(7));
        var rejected = (await Registry.RejectAsync(new Rejection("d-b", "b", "kadis@disnaker", "Salah desa"))).Record!;
        await RollBackToBeforeAuditAsync();

        var reopened = await OpenRegistryAsync(Clock);
        try
        {
            Assert.Equal(
                [("a", AuditAction.Approve, "kabid@disnaker", approved.DecidedAt, (string?)null), ("b", AuditAction.Reject, "kadis@disnaker", rejected.DecidedAt, "Salah desa")],
                (await reopened.ListAuditAsync(Campaign)).Select(e => (e.BatchId, e.Action, e.Actor, e.At, e.Reason)));
            Assert.Equal(RevocationOutcome.Revoked, (await reopened.RevokeAsync(new Revocation("r", "a", "kabid", "alasan"))).Outcome);
        }
        finally
        {
            if (reopened is IAsyncDisposable d) await d.DisposeAsync();
        }
    }

    // ---- helpers ----


    // Unique per i; the registry checks no NIK rules, the validator does.
    // ---- village access links ----

    [Fact]
    public async Task Access_links_are_stored_listed_newest_first_revoked_once_and_their_last_use_written_at_most_once_a_minute()
    {
        var issuedAt = Clock.GetUtcNow();
        var first = new AccessLink("l1", Campaign, "15.03.01.2001", "budi", issuedAt, issuedAt.AddDays(90));
        await Registry.IssueAccessLinkAsync(first);
        await Registry.IssueAccessLinkAsync(first with { IssuedBy = "again" }); // the same id again changes nothing
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Registry.IssueAccessLinkAsync(new AccessLink("l2", Campaign, "15.03.01.2002", "budi", Clock.GetUtcNow(), Clock.GetUtcNow().AddDays(90)));
        await Registry.IssueAccessLinkAsync(new AccessLink("l3", "other-campaign", "15.03.01.2001", "budi", Clock.GetUtcNow(), Clock.GetUtcNow().AddDays(90)));

        Assert.Equal(first, await Registry.GetAccessLinkAsync("l1"));
        Assert.Equal(["l2", "l1"], (await Registry.ListAccessLinksAsync(Campaign)).Select(l => l.LinkId));
        Assert.Equal(["l1"], (await Registry.ListAccessLinksAsync(Campaign, "15.03.01.2001")).Select(l => l.LinkId));

        var used = Clock.GetUtcNow();
        await Registry.RecordAccessLinkUseAsync("l1", used);
        await Registry.RecordAccessLinkUseAsync("l1", used.AddSeconds(59));
        Assert.Equal(used, (await Registry.GetAccessLinkAsync("l1"))!.LastUsedAt);
        await Registry.RecordAccessLinkUseAsync("l1", used.AddSeconds(61));
        Assert.Equal(used.AddSeconds(61), (await Registry.GetAccessLinkAsync("l1"))!.LastUsedAt);

        var revokedAt = Clock.GetUtcNow().AddMinutes(5);
        Assert.True(await Registry.RevokeAccessLinkAsync("l1", "siti", revokedAt));
        Assert.False(await Registry.RevokeAccessLinkAsync("l1", "budi", revokedAt.AddMinutes(1)));
        Assert.False(await Registry.RevokeAccessLinkAsync("nope", "budi", revokedAt));
        var revoked = (await Registry.GetAccessLinkAsync("l1"))!;
        Assert.Equal((revokedAt, "siti"), (revoked.RevokedAt, revoked.RevokedBy));
        Assert.Null((await Registry.GetAccessLinkAsync("l2"))!.RevokedAt);
    }

    protected static string Nik(int i) => $"150301{i:D10}";

    private static DateOnly BirthDate(int i) => new DateOnly(1970, 1, 1).AddDays(i % 9000);

    protected static NewBatch NewBatch(string id, string village, string? hash = null, string campaign = Campaign) =>
        new(id, campaign, village, "Desa " + village, village[..6], id + ".xlsx", hash ?? "sha-" + id, $"uploads/1503/{village[..6]}/{village}/{id}.xlsx");

    protected static async IAsyncEnumerable<Enrollee> Rows(string village, int firstNik, int count, string segment = "rentan")
    {
        await Task.CompletedTask;
        for (var i = 0; i < count; i++)
        {
            var n = firstNik + i;
            yield return new Enrollee(i + 1, Nik(n), null, "PESERTA " + n, "Sarolangun", BirthDate(n), n % 2 == 0 ? Sex.Female : Sex.Male,
                null, village, null, segment, null, "DTKS");
        }
    }

    private static async IAsyncEnumerable<Enrollee> BreakingOff(IAsyncEnumerable<Enrollee> rows, int after)
    {
        var n = 0;
        await foreach (var row in rows)
        {
            if (n++ == after) throw new IOException("The rows broke off.");
            yield return row;
        }
    }

    private async Task<ValidationCompletion> AwaitingBatch(string id, string village, int firstNik, int count, int rejectedRows = 0,
        string segment = "rentan", string campaign = Campaign)
    {
        await Registry.RegisterBatchAsync(NewBatch(id, village, campaign: campaign));
        Clock.Advance(TimeSpan.FromSeconds(1));
        return await Registry.CompleteValidationAsync(id,
            new ValidationOutcome(BatchStatus.AwaitingApproval, new BatchCounts(count + rejectedRows, count, rejectedRows, 0), $"reports/{id}.json"),
            Rows(village, firstNik, count, segment));
    }

    private Task<DecisionResult> Approve(string batchId, string decisionId, string by = "coordinator", DateOnly? from = null, DateOnly? to = null) =>
        Registry.ApproveAsync(new Approval(decisionId, batchId, by, from ?? CoverageFrom, to ?? CoverageTo));
}
