using System.Text.RegularExpressions;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;

namespace LegalRag.Core.Versions;

/// <summary>
/// How the versions of one provision are named and chosen. A provision's versions share its base key
/// ("fr/code-civil/a1240"); when it has more than one, each is keyed by the day it took effect
/// ("fr/code-civil/a1240@2016-10-01", "…@undated" where the source gives no start, "…@2016-10-01~2" for a second
/// version starting the same day). A lookup without a date takes the version in force today, else the latest.
/// </summary>
public static partial class ProvisionVersions
{
    public const string Undated = "undated";

    /// <summary>The key shared by every version: the key without its date suffix. Other '@' suffixes (the store's
    /// suffix for a second act with the same abbreviation) are part of the identity and stay.</summary>
    public static string BaseKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var m = DateSuffix().Match(key);
        return m.Success ? key[..m.Index] : key;
    }

    /// <summary>The key of a version that starts on <paramref name="validFrom"/>.</summary>
    public static string VersionKey(string baseKey, DateOnly? validFrom, int sameDayIndex = 1) =>
        $"{baseKey}@{(validFrom is { } d ? Validity.Iso(d) : Undated)}{(sameDayIndex > 1 ? "~" + sameDayIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}";

    /// <summary>
    /// Keys a document's provisions so that versions never collide: a base key held by one provision keeps it;
    /// one held by several gives each version its date key. Order is kept.
    /// </summary>
    public static IReadOnlyList<Provision> AssignKeys(IReadOnlyList<Provision> provisions)
    {
        ArgumentNullException.ThrowIfNull(provisions);
        var counts = provisions.GroupBy(p => BaseKey(p.Key), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<Provision>(provisions.Count);
        foreach (var p in provisions)
        {
            var baseKey = BaseKey(p.Key);
            string key;
            if (counts[baseKey] == 1) key = baseKey;
            else
            {
                var n = 1;
                do key = VersionKey(baseKey, p.ValidFrom, n++);
                while (!used.Add(key));
            }
            used.Add(key);
            result.Add(key == p.Key ? p : With(p, key: key));
        }
        return result;
    }

    /// <summary>The version to show when no date is asked: the one in force on <paramref name="today"/>, else the
    /// one that started last (a repealed provision's last wording, a version not yet in force).</summary>
    public static StoredProvision Current(IEnumerable<StoredProvision> versions, DateOnly today)
    {
        var list = versions.ToList();
        if (list.Count == 0) throw new ArgumentException("no versions", nameof(versions));
        return list.Where(v => Validity.InForce(v.Provision.ValidFrom, v.Provision.ValidTo, v.Act?.ValidFrom, v.Act?.ValidTo, today))
                   .OrderByDescending(v => v.Provision.ValidFrom ?? DateOnly.MinValue).FirstOrDefault()
               ?? list.OrderByDescending(v => v.Provision.ValidFrom ?? DateOnly.MinValue).ThenByDescending(v => v.Provision.ValidTo ?? DateOnly.MaxValue).First();
    }

    /// <summary>Citation matches with each provision's versions folded into the current one (in the first version's place).</summary>
    public static IReadOnlyList<StoredProvision> CollapseToCurrent(IReadOnlyList<StoredProvision> matches, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var groups = matches.GroupBy(m => (m.Corpus, Base: BaseKey(m.Key))).ToList();
        if (groups.Count == matches.Count) return matches;
        return groups.Select(g => Current(g, today)).ToList();
    }

    /// <summary>Versions ordered as history reads: by start, undated first, then by end.</summary>
    public static IReadOnlyList<StoredProvision> Chronological(IEnumerable<StoredProvision> versions) =>
        versions.OrderBy(v => v.Provision.ValidFrom ?? DateOnly.MinValue).ThenBy(v => v.Provision.ValidTo ?? DateOnly.MaxValue)
            .ThenBy(v => v.Key, StringComparer.Ordinal).ToList();

    /// <summary>
    /// One of a provision's versions named the way a reader names it: by its version id (a key in
    /// <paramref name="versions"/>), or by a day (YYYY-MM-DD), meaning the version in force that day (by the version's own
    /// interval; of two, the one that started later). Null with the reason when neither names one; the CLI's
    /// <c>show --diff</c> and the REST diff take their versions this way.
    /// </summary>
    public static StoredProvision? Pick(IReadOnlyList<StoredProvision> versions, string keyOrDay, out VersionPickError? error)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(keyOrDay);
        error = null;
        if (versions.FirstOrDefault(v => string.Equals(v.Key, keyOrDay, StringComparison.Ordinal)) is { } byKey) return byKey;
        if (!DateOnly.TryParseExact(keyOrDay, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
        {
            error = new VersionPickError(VersionPickFailure.NotADayOrVersion, $"'{keyOrDay}' is neither a day (YYYY-MM-DD) nor a version id of this provision");
            return null;
        }
        if (InForceOn(versions, day) is { } inForce) return inForce;
        error = new VersionPickError(VersionPickFailure.NoneInForce, $"no version of {versions.FirstOrDefault()?.Provision.Citation ?? "this provision"} is in force on {Validity.Iso(day)}");
        return null;
    }

    /// <summary>The version whose own interval holds <paramref name="day"/> (of two, the later start); null when none.</summary>
    public static StoredProvision? InForceOn(IEnumerable<StoredProvision> versions, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.Where(v => Validity.InForce(v.Provision.ValidFrom, v.Provision.ValidTo, day))
            .OrderByDescending(v => v.Provision.ValidFrom ?? DateOnly.MinValue).FirstOrDefault();
    }

    /// <summary>Whether two versions say the same: heading, paragraphs and repeal mark. Dates, notes and keys aside.</summary>
    public static bool SameText(Provision a, Provision b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.IsRepealed == b.IsRepealed && string.Equals(a.Heading, b.Heading, StringComparison.Ordinal)
            && a.Paragraphs.Select(p => (p.Label, p.Text)).SequenceEqual(b.Paragraphs.Select(p => (p.Label, p.Text)));
    }

    /// <summary>A copy of a provision with another key and/or validity.</summary>
    public static Provision With(Provision p, string? key = null, DateOnly? validFrom = null, DateOnly? validTo = null, bool setValidTo = false)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new Provision
        {
            Key = key ?? p.Key,
            Kind = p.Kind,
            Number = p.Number,
            Heading = p.Heading,
            Citation = p.Citation,
            Path = p.Path,
            Paragraphs = p.Paragraphs,
            IsRepealed = p.IsRepealed,
            Ordinal = p.Ordinal,
            Identifier = p.Identifier,
            ValidFrom = validFrom ?? p.ValidFrom,
            ValidTo = setValidTo ? validTo : p.ValidTo,
            Notes = p.Notes,
            ChangedBy = p.ChangedBy,
        };
    }

    [GeneratedRegex(@"@(\d{4}-\d{2}-\d{2}|undated)(~\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateSuffix();
}

/// <summary>Why <see cref="ProvisionVersions.Pick"/> found no version: the argument names none (a caller's mistake), or
/// it is a day on which no version was in force (nothing to show).</summary>
public enum VersionPickFailure { NotADayOrVersion, NoneInForce }

/// <param name="Message">Says what was asked and why it names no version, without pointing at any one interface.</param>
public sealed record VersionPickError(VersionPickFailure Failure, string Message);
