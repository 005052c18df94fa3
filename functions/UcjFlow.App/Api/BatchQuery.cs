using System.Globalization;
using Microsoft.AspNetCore.Http;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;

namespace UcjFlow.App.Api;

/// <summary>How the batch list is sorted (<c>sort=</c>): village name, status, upload time, valid or rejected rows.</summary>
public enum BatchSort { Uploaded, Village, Status, Valid, Rejected }

/// <summary>
/// The batch list's search, sort and page (<c>GET api/batches?q=&amp;sort=&amp;dir=&amp;page=&amp;size=</c>), applied on the
/// server to the campaign's batches. <see cref="Search"/> matches, case-insensitively, part of the village's or its
/// kecamatan's name or code (dotted or digits only). Pages count from 1; <see cref="Size"/> is 1–<see cref="MaxSize"/>
/// (default <see cref="DefaultSize"/>). Default order: newest upload first; ties by village code then batch id, so pages
/// never overlap.
/// </summary>
public sealed record BatchQuery(string? Search, BatchSort Sort, bool Descending, int Page, int Size)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 200;

    /// <summary>The query of <paramref name="request"/>, or an Indonesian error (code bad_query) naming the parameter.</summary>
    public static (BatchQuery? Query, ApiError? Error) From(HttpRequest request)
    {
        var q = request.Query["q"].ToString().Trim();
        var sortText = request.Query["sort"].ToString();
        var sort = BatchSort.Uploaded;
        if (sortText.Length > 0 && (!Enum.TryParse(sortText, ignoreCase: true, out sort) || !Enum.IsDefined(sort)))
            return (null, new ApiError($"Urutan '{sortText}' tidak dikenal. Pilihan: village, status, uploaded, valid, rejected.", "bad_query"));
        var dir = request.Query["dir"].ToString();
        if (dir is not ("" or "asc" or "desc"))
            return (null, new ApiError("Arah urutan harus asc atau desc.", "bad_query"));
        // Newest uploads and the largest counts first unless asked otherwise; names A–Z, statuses in the workflow's order.
        var descending = dir.Length > 0 ? dir == "desc" : sort is BatchSort.Uploaded or BatchSort.Valid or BatchSort.Rejected;
        if (!TryNumber(request.Query["page"], 1, int.MaxValue, 1, out var page))
            return (null, new ApiError("Halaman harus bilangan bulat mulai dari 1.", "bad_query"));
        if (!TryNumber(request.Query["size"], 1, MaxSize, DefaultSize, out var size))
            return (null, new ApiError($"Ukuran halaman harus 1 sampai {MaxSize}.", "bad_query"));
        return (new BatchQuery(q.Length == 0 ? null : q, sort, descending, page, size), null);
    }

    static bool TryNumber(string? text, int min, int max, int fallback, out int value)
    {
        value = fallback;
        if (string.IsNullOrEmpty(text)) return true;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    /// <summary>Does <paramref name="batch"/> match <see cref="Search"/>? Villages and kecamatan names come from the campaign.</summary>
    public bool Matches(Batch batch, IReadOnlyDictionary<string, CampaignVillage> villages)
    {
        if (Search is not { } s) return true;
        var village = villages.GetValueOrDefault(batch.VillageCode);
        var digits = s.Replace(".", "", StringComparison.Ordinal);
        bool In(string? text) => text is not null && text.Contains(s, StringComparison.OrdinalIgnoreCase);
        bool CodeIn(string code) => digits.Length > 0 && digits.All(char.IsAsciiDigit) && code.Replace(".", "", StringComparison.Ordinal).Contains(digits, StringComparison.Ordinal);
        return In(batch.VillageName) || In(village?.Name) || In(village?.DistrictName) || CodeIn(batch.VillageCode) || CodeIn(batch.DistrictCode);
    }

    /// <summary>
    /// Filters, sorts and cuts one page; Total is the count before paging. <paramref name="villages"/>: the campaign's
    /// villages by dotted code (<see cref="VillagesByCode"/>), for names and kecamatan.
    /// </summary>
    public (IReadOnlyList<T> Page, int Total) Apply<T>(IEnumerable<T> items, Func<T, Batch> batchOf, IReadOnlyDictionary<string, CampaignVillage> villages)
    {
        var matching = items.Where(i => Matches(batchOf(i), villages)).ToList();
        IOrderedEnumerable<T> ordered = Sort switch
        {
            BatchSort.Village => Order(matching, i => batchOf(i).VillageName ?? villages.GetValueOrDefault(batchOf(i).VillageCode)?.Name ?? batchOf(i).VillageCode, StringComparer.OrdinalIgnoreCase),
            BatchSort.Status => Order(matching, i => batchOf(i).Status, Comparer<BatchStatus>.Default), // the workflow's order: Validating, AwaitingApproval, …
            BatchSort.Valid => Order(matching, i => batchOf(i).Counts.Valid, Comparer<int>.Default),
            BatchSort.Rejected => Order(matching, i => batchOf(i).Counts.Rejected, Comparer<int>.Default),
            _ => Order(matching, i => batchOf(i).CreatedAt, Comparer<DateTimeOffset>.Default),
        };
        var page = ordered.ThenBy(i => batchOf(i).VillageCode, StringComparer.Ordinal).ThenBy(i => batchOf(i).BatchId, StringComparer.Ordinal)
            .Skip((int)Math.Min((long)(Page - 1) * Size, int.MaxValue)).Take(Size).ToList();
        return (page, matching.Count);
    }

    /// <summary>The campaign's villages by dotted code: built once per campaign, looked up per batch.</summary>
    public static IReadOnlyDictionary<string, CampaignVillage> VillagesByCode(Campaign campaign) =>
        campaign.Villages.ToDictionary(v => v.Code, StringComparer.Ordinal);

    IOrderedEnumerable<T> Order<T, TKey>(IEnumerable<T> items, Func<T, TKey> key, IComparer<TKey> comparer) =>
        Descending ? items.OrderByDescending(key, comparer) : items.OrderBy(key, comparer);
}
