using System.Text.RegularExpressions;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Ingestion.Pipeline;

/// <summary>A file found under the ingest root, or a path that could not be read.</summary>
public sealed record SourceEntry(string FullPath, string RelativePath, string? Error = null);

/// <summary>
/// Walks an ingest root: known extensions only, hidden folders skipped, include globs applied,
/// unreadable folders and symlink loops reported as entries with an error instead of aborting.
/// </summary>
public static class SourceWalker
{
    public static IEnumerable<SourceEntry> Walk(string root, IReadOnlyList<string>? includeGlobs = null)
    {
        var matchers = (includeGlobs ?? []).Select(Glob.ToRegex).ToList();
        if (File.Exists(root))
        {
            yield return new SourceEntry(Path.GetFullPath(root), Path.GetFileName(root));
            yield break;
        }
        if (!Directory.Exists(root))
        {
            yield return new SourceEntry(root, root, "the path does not exist");
            yield break;
        }
        var rootFull = Path.GetFullPath(root);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push(rootFull);
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            var real = RealPath(dir);
            if (!visited.Add(real))
            {
                yield return new SourceEntry(dir, Relative(rootFull, dir), "symbolic link loop: this folder was already visited");
                continue;
            }
            string[] files = [], dirs = [];
            string? error = null;
            try
            {
                files = Directory.GetFiles(dir);
                dirs = Directory.GetDirectories(dir);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                error = $"folder cannot be read: {ex.Message}";
            }
            if (error is not null)
            {
                yield return new SourceEntry(dir, Relative(rootFull, dir), error);
                continue;
            }
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                var rel = Relative(rootFull, file);
                if (!ParserRegistry.KnownExtensions.Contains(Path.GetExtension(file))) continue;
                if (matchers.Count > 0 && !matchers.Any(m => m.IsMatch(rel))) continue;
                yield return new SourceEntry(file, rel);
            }
            Array.Sort(dirs, StringComparer.Ordinal);
            for (var i = dirs.Length - 1; i >= 0; i--)
            {
                if (Path.GetFileName(dirs[i]).StartsWith('.')) continue;
                stack.Push(dirs[i]);
            }
        }
    }

    private static string RealPath(string dir)
    {
        try
        {
            var info = new DirectoryInfo(dir);
            var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? info.FullName;
        }
        catch (IOException)
        {
            return dir;
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}

/// <summary>Minimal globs for include patterns: "*" within a path segment, "**" across segments.</summary>
public static class Glob
{
    public static Regex ToRegex(string glob)
    {
        var pattern = "^" + Regex.Escape(glob.Replace('\\', '/'))
            .Replace(@"\*\*/", "(?:.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$";
        return new Regex(pattern, RegexOptions.CultureInvariant);
    }
}
