namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>
/// Handwritten Qdrant answers, shaped after the spec's response schemas (the tests validate each against
/// the spec before serving it). Values are what a small single-node Qdrant would report.
/// </summary>
internal static class QdrantFixtures
{
    public static string CollectionInfo(int denseSize = 384, string distance = "Cosine", bool withSparse = true,
        string denseName = "dense", string sparseName = "sparse", IEnumerable<string>? indexedFields = null, long points = 42)
    {
        var sparse = withSparse ? ",\"sparse_vectors\":{\"" + sparseName + "\":{\"modifier\":\"idf\"}}" : "";
        var schema = string.Join(",", (indexedFields ?? []).Select(f => $$"""
            "{{f}}":{"data_type":"{{(f == "chunk_id" ? "integer" : "keyword")}}","points":{{points}}}
            """.Trim()));
        var vectors = "{\"" + denseName + "\": {\"size\": " + denseSize + ", \"distance\": \"" + distance + "\", \"on_disk\": false}}";
        return $$"""
        {
          "status": "green",
          "optimizer_status": "ok",
          "indexed_vectors_count": 0,
          "points_count": {{points}},
          "segments_count": 2,
          "config": {
            "params": {
              "vectors": {{vectors}},
              "shard_number": 1,
              "replication_factor": 1,
              "write_consistency_factor": 1,
              "on_disk_payload": true{{sparse}}
            },
            "hnsw_config": {"m": 16, "ef_construct": 100, "full_scan_threshold": 10000, "max_indexing_threads": 0, "on_disk": false},
            "optimizer_config": {"deleted_threshold": 0.2, "vacuum_min_vector_number": 1000, "default_segment_number": 0,
              "max_segment_size": null, "memmap_threshold": null, "indexing_threshold": 10000, "flush_interval_sec": 5,
              "max_optimization_threads": null},
            "wal_config": {"wal_capacity_mb": 32, "wal_segments_ahead": 0},
            "quantization_config": null
          },
          "payload_schema": { {{schema}} }
        }
        """;
    }

    public const string UpdateCompleted = """{"operation_id": 17, "status": "completed"}""";

    public const string CollectionsList = """{"collections": [{"name": "legalrag_de-bundesrecht"}, {"name": "legalrag_fr-code-civil"}, {"name": "other_app"}]}""";

    public const string ClusterEnabled = """
        {
          "status": "enabled",
          "peer_id": 5473829301,
          "peers": {
            "5473829301": {"uri": "http://qdrant-node-1:6335/"},
            "8836200913": {"uri": "http://qdrant-node-2:6335/"},
            "1209884410": {"uri": "http://qdrant-node-3:6335/"}
          },
          "raft_info": {"term": 3, "commit": 118, "pending_operations": 0, "leader": 5473829301, "role": "Leader", "is_voter": true},
          "consensus_thread_status": {"consensus_thread_status": "working", "last_update": "2025-11-20T09:15:02.123456Z"},
          "message_send_failures": {}
        }
        """;

    public const string ClusterDisabled = """{"status": "disabled"}""";

    public const string CollectionCluster = """
        {
          "peer_id": 5473829301,
          "shard_count": 2,
          "local_shards": [{"shard_id": 0, "points_count": 1200, "state": "Active"}],
          "remote_shards": [
            {"shard_id": 0, "peer_id": 8836200913, "state": "Active"},
            {"shard_id": 1, "peer_id": 8836200913, "state": "Active"},
            {"shard_id": 1, "peer_id": 1209884410, "state": "Dead"}
          ],
          "shard_transfers": []
        }
        """;

    public const string Snapshot = """{"name": "legalrag_de-bundesrecht-5473829301-2025-11-20-09-20-11.snapshot", "creation_time": "2025-11-20T09:20:11", "size": 18350080, "checksum": "9c1185a5c5e9fc54612808977ee8f548b2258d31"}""";

    public static string SnapshotList => $"[{Snapshot}]";

    public const string Aliases = """{"aliases": [{"alias_name": "legalrag_de_live", "collection_name": "legalrag_de-bundesrecht"}]}""";

    public static string Count(long n) => $$"""{"count": {{n}}}""";

    public static string ScoredPoints(params (string Id, double Score, long ChunkId, string ProvisionKey)[] hits) =>
        "{\"points\": [" + string.Join(",", hits.Select(h =>
            $$$"""{"id": "{{{h.Id}}}", "version": 3, "score": {{{h.Score.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}, "payload": {"chunk_id": {{{h.ChunkId}}}, "provision_key": "{{{h.ProvisionKey}}}"}}""")) + "]}";

    /// <summary>A scroll page of points with the given payloads (raw JSON objects) and an optional next offset.</summary>
    public static string ScrollPage(IEnumerable<(string Id, string PayloadJson)> points, string? nextOffset = null) =>
        "{\"points\": [" + string.Join(",", points.Select(p => $$"""{"id": "{{p.Id}}", "payload": {{p.PayloadJson}}}""")) + "], " +
        "\"next_page_offset\": " + (nextOffset is null ? "null" : $"\"{nextOffset}\"") + "}";

    public static string EmptyScroll => ScrollPage([]);
}
