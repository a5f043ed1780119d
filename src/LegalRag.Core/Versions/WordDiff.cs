namespace LegalRag.Core.Versions;

public enum DiffOp { Equal, Delete, Insert }

/// <summary>One run of words a diff keeps, removes or adds, with the whitespace that followed each word.</summary>
public sealed record DiffSegment(DiffOp Op, string Text);

/// <summary>
/// A word-level diff of two texts (what changed between two versions of a provision): the longest common subsequence
/// of their words, runs of equal, deleted and inserted words merged. Words are split at whitespace; punctuation stays
/// with its word, as lawyers read an amendment ("mutuel ;" became "mutuel,").
/// </summary>
public static class WordDiff
{
    /// <summary>Past this many cells (words × words of the part that differs) the middle is shown as replaced whole
    /// rather than aligned: the table would cost more memory than any article's diff is worth.</summary>
    public const long MaxCells = 4_000_000;

    public static IReadOnlyList<DiffSegment> Compute(string from, string to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var a = Words(from);
        var b = Words(to);
        var ops = new List<(DiffOp Op, string Word)>(a.Count + b.Count);
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && a[a.Count - 1 - suffix] == b[b.Count - 1 - suffix]) suffix++;
        for (var i = 0; i < prefix; i++) ops.Add((DiffOp.Equal, a[i]));
        var midA = a.GetRange(prefix, a.Count - prefix - suffix);
        var midB = b.GetRange(prefix, b.Count - prefix - suffix);
        if ((long)midA.Count * midB.Count > MaxCells)
        {
            ops.AddRange(midA.Select(w => (DiffOp.Delete, w)));
            ops.AddRange(midB.Select(w => (DiffOp.Insert, w)));
        }
        else ops.AddRange(Align(midA, midB));
        for (var i = a.Count - suffix; i < a.Count; i++) ops.Add((DiffOp.Equal, a[i]));

        var segments = new List<DiffSegment>();
        foreach (var (op, word) in ops)
        {
            if (segments.Count > 0 && segments[^1].Op == op) segments[^1] = segments[^1] with { Text = segments[^1].Text + " " + word };
            else segments.Add(new DiffSegment(op, word));
        }
        return segments;
    }

    /// <summary>Plain rendering, as <c>git diff --word-diff=plain</c>: [-removed-] {+added+}.</summary>
    public static string Render(IReadOnlyList<DiffSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        return string.Join(' ', segments.Select(s => s.Op switch
        {
            DiffOp.Delete => "[-" + s.Text + "-]",
            DiffOp.Insert => "{+" + s.Text + "+}",
            _ => s.Text,
        }));
    }

    private static List<string> Words(string text) =>
        text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();

    private static List<(DiffOp, string)> Align(List<string> a, List<string> b)
    {
        // lcs[i, j]: length of the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
            for (var j = b.Count - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var ops = new List<(DiffOp, string)>(a.Count + b.Count);
        int x = 0, y = 0;
        while (x < a.Count && y < b.Count)
        {
            if (a[x] == b[y]) { ops.Add((DiffOp.Equal, a[x])); x++; y++; }
            // Deletions before insertions at a change, so a replaced word reads [-old-] {+new+}.
            else if (lcs[x + 1, y] >= lcs[x, y + 1]) ops.Add((DiffOp.Delete, a[x++]));
            else ops.Add((DiffOp.Insert, b[y++]));
        }
        while (x < a.Count) ops.Add((DiffOp.Delete, a[x++]));
        while (y < b.Count) ops.Add((DiffOp.Insert, b[y++]));
        return ops;
    }
}
