using System.CommandLine;
using LegalRag.Hosting;
using LegalRag.Cli.Output;
using LegalRag.Core.Domain;
using LegalRag.Storage.Qdrant;
using Spectre.Console;

namespace LegalRag.Cli.Commands;

/// <summary>Operations on the Qdrant backend (LegalRag:Qdrant settings), and moving an embedded index there.</summary>
public static class QdrantCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Machine output" };
        var status = new Command("status", "Server version, peers, and per collection its points, shards and replicas") { json };
        status.SetAction(async (parse, ct) =>
        {
            using var store = OpenQdrant(parse);
            var s = await store.GetStatusAsync(ct);
            if (parse.GetValue(json)) { JsonOutput.Write(s); return ExitCodes.Ok; }
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(s.Url)}[/]: Qdrant {Markup.Escape(s.ServerVersion)}, {s.Peers} peer(s) holding our shards");
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var c in new[] { "Collection", "Status", "Points", "Shards", "Replication", "Write consistency", "Active replicas", "Unhealthy" }) table.AddColumn(c);
            foreach (var c in s.Collections)
                table.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Status), $"{c.PointsCount:N0}", $"{c.ShardNumber}", $"{c.ReplicationFactor}", $"{c.WriteConsistencyFactor}", $"{c.ActiveReplicas}", $"{c.UnhealthyReplicas}");
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });

        var collection = new Argument<string>("collection") { Description = "Qdrant collection (see `qdrant status`)" };
        var snapshot = new Command("snapshot", "Create a snapshot of a collection on the Qdrant server") { collection };
        snapshot.SetAction(async (parse, ct) =>
        {
            using var store = OpenQdrant(parse);
            var s = await store.Client.CreateSnapshotAsync(parse.GetValue(collection)!, ct);
            Console.WriteLine($"snapshot {s.Name} ({s.Size:N0} bytes) of {parse.GetValue(collection)}");
            return ExitCodes.Ok;
        });

        // Recovering a snapshot is not part of Qdrant's gRPC API: docs/qdrant.md shows the server-side ways.
        return new Command("qdrant", "Operate the Qdrant backend") { status, snapshot };
    }

    /// <summary>`index copy --to qdrant`: moves corpora from the embedded store to Qdrant, vectors included, without re-embedding.</summary>
    public static Command CreateIndex()
    {
        var to = new Option<string>("--to") { Description = "Target backend: qdrant", Required = true };
        var corpus = new Option<string?>("--corpus") { Description = "Copy only this corpus (default: all)" };
        var copy = new Command("copy", "Copy the embedded index to another backend without re-parsing or re-embedding") { to, corpus };
        copy.SetAction(async (parse, ct) =>
        {
            if (!string.Equals(parse.GetValue(to), "qdrant", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"error: --to must be 'qdrant', not '{parse.GetValue(to)}'");
                return ExitCodes.Usage;
            }
            var settings = CliContext.Settings(parse);
            using var source = await LegalRagComposition.OpenSqliteAsync(settings, null, ct);
            using var target = OpenQdrant(parse);
            var corpora = (await source.ListCorporaAsync(ct)).Where(c => parse.GetValue(corpus) is not { } only || c.Name == only).ToList();
            if (corpora.Count == 0)
            {
                Console.Error.WriteLine("error: no such corpus in the embedded store");
                return ExitCodes.PartialFailure;
            }
            var failures = 0;
            foreach (var c in corpora)
            {
                await target.EnsureCorpusAsync(new CorpusInfo(c.Name, c.Language), ct);
                int documents = 0, withVectors = 0;
                await foreach (var exported in source.ExportCorpusAsync(c.Name, ct))
                {
                    try
                    {
                        await target.UpsertDocumentAsync(c.Name, exported.Document, exported.Chunks, exported.Vectors, ct);
                        documents++;
                        if (exported.Vectors is not null) withVectors++;
                    }
                    catch (QdrantException ex)
                    {
                        failures++;
                        Console.Error.WriteLine($"failed {c.Name}/{exported.Document.SourcePath}: {ex.Message}");
                    }
                    if (documents % 200 == 0) Console.Error.WriteLine($"{c.Name}: {documents}/{c.Documents} documents copied");
                }
                Console.WriteLine($"{c.Name}: {documents} documents copied ({withVectors} with vectors)");
            }
            return failures > 0 ? ExitCodes.PartialFailure : ExitCodes.Ok;
        });
        return new Command("index", "Move an index between backends") { copy };
    }

    private static QdrantStore OpenQdrant(ParseResult parse)
    {
        var settings = CliContext.Settings(parse);
        settings.Qdrant.ThrowIfInvalid();
        return QdrantStore.Create(settings.Qdrant);
    }
}
