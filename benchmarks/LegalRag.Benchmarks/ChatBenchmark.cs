namespace LegalRag.Benchmarks; public static class ChatBenchmark { public static Task<int> RunAsync(string[] args) => Task.FromResult(2); }
