using System.Diagnostics;
using LegalRag.Server.Security;

namespace LegalRag.Server.Api;

/// <summary>The process's memory and load as the runtime sees it: the managed heap is visible only from inside (the load tool samples it for "no growth at steady state").</summary>
public sealed record RuntimeDto(
    int ProcessId, double UptimeSeconds, long WorkingSetBytes, long GcHeapBytes, long GcCommittedBytes, long GcTotalAllocatedBytes,
    int Gen0Collections, int Gen1Collections, int Gen2Collections, int ThreadPoolThreads, long ThreadPoolPendingItems, CapacitySnapshot Capacity);

public static class RuntimeEndpoint
{
    public static RuntimeDto Get(ServerCapacity capacity)
    {
        // The heap as the last collection left it (live objects and fragmentation), not what is allocated since: comparable between samples.
        var gc = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        return new RuntimeDto(
            Environment.ProcessId, (DateTime.Now - process.StartTime).TotalSeconds, Environment.WorkingSet, gc.HeapSizeBytes, gc.TotalCommittedBytes,
            GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount, capacity.Snapshot());
    }
}
