namespace LegalRag.Server.Auth;

/// <summary>
/// The three roles, each including the ones before it: a reader asks and searches; an evaluator also
/// sees retrieval details and may read corpora reserved for evaluation; an admin also reads the audit log.
/// </summary>
public static class Roles
{
    public const string Reader = "reader";
    public const string Evaluator = "evaluator";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Reader, Evaluator, Admin];

    public static bool IsKnown(string role) => All.Contains(role);

    /// <summary>Rank for comparisons: reader 0, evaluator 1, admin 2; unknown -1.</summary>
    public static int Rank(string? role) => role is null ? -1 : All.ToList().IndexOf(role.ToLowerInvariant());

    /// <summary>The roles that satisfy "at least <paramref name="minimum"/>".</summary>
    public static string[] AtLeast(string minimum) => All.Skip(Rank(minimum)).ToArray();

    /// <summary>Authorization policy names, one per role: "at least this role".</summary>
    public static class Policies
    {
        public const string Reader = "role:reader";
        public const string Evaluator = "role:evaluator";
        public const string Admin = "role:admin";
    }
}
