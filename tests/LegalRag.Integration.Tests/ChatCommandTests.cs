using System.Diagnostics;
using System.Threading.Channels;
using LegalRag.Answering.Tests.Support;
using LegalRag.Cli.Commands;
using LegalRag.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace LegalRag.Integration.Tests;

/// <summary>`legalrag chat` against the real server over the fixture corpus: in process (session) and as the binary.</summary>
public sealed class ChatCommandTests
{
    private const string ReaderKey = "reader-key-0123456789abcdef";
    private static readonly TimeSpan[] NoWaiting = [TimeSpan.Zero];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Server(FixtureCorpus corpus, WebApplication app, Uri address) : IAsyncDisposable
    {
        public WebApplication App => app;
        public Uri Address => address;

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            corpus.Dispose();
        }
    }

    private static async Task<Server> StartServerAsync(IDictionary<string, string?>? extra = null)
    {
        var corpus = await FixtureCorpus.CreateAsync(Ct);
        var settings = new Dictionary<string, string?>
        {
            ["LegalRag:DataDirectory"] = corpus.DataDirectory,
            ["LegalRag:AuditLogPath"] = Path.Combine(corpus.Directory.Path, "audit.jsonl"),
            ["LegalRag:Auth:CorpusRoles:intern"] = "evaluator",
            ["LegalRag:Auth:Keys:0:Key"] = ReaderKey,
            ["LegalRag:Auth:Keys:0:Role"] = "reader",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var app = await LegalRagServer.CreateAsync(new ServerStartOptions { Urls = "http://127.0.0.1:0", Settings = settings, Announce = TextWriter.Null }, Ct);
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Server(corpus, app, new Uri(address));
    }

    /// <summary>Standard input fed line by line while the session runs; null ends it.</summary>
    private sealed class LineFeed : TextReader
    {
        private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>();
        public void Send(string? line) => _lines.Writer.TryWrite(line);
        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => await _lines.Reader.ReadAsync(cancellationToken);
    }

    /// <summary>What the session writes, from its loop and from the connection's event handlers at once.</summary>
    private sealed class Captured
    {
        private readonly StringWriter _buffer = new();
        public Captured() => Writer = TextWriter.Synchronized(_buffer);
        public TextWriter Writer { get; }

        // The synchronized writer locks itself around every write.
        public override string ToString()
        {
            lock (Writer) return _buffer.ToString();
        }

        public async Task WaitForAsync(string text, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (!ToString().Contains(text, StringComparison.Ordinal))
            {
                if (clock.Elapsed > timeout) Assert.Fail($"'{text}' did not appear within {timeout}; so far: {this}");
                await Task.Delay(50, Ct);
            }
        }
    }

    [Fact]
    public async Task Streams_answers_with_citations_follows_up_and_resets()
    {
        await using var server = await StartServerAsync();
        var output = new Captured();
        var errors = new Captured();
        var input = new StringReader("Darf mein Vermieter wegen Eigenbedarf kündigen?\n\nUnd welche Fristen gelten dafür?\n/reset\nKaufvertrag Pflichten\n");
        await using var connection = ChatSession.Connect(server.Address, ReaderKey, NoWaiting);
        var exit = await new ChatSession(connection, server.Address, input, output.Writer, errors.Writer).RunAsync(new ChatSettings(Corpus: null), Ct);

        Assert.Equal(ExitCodes.Ok, exit);
        var text = output.ToString();
        Assert.StartsWith("In Betracht kommt: MietG § 573", text, StringComparison.Ordinal);
        Assert.Contains("Citations:\n  [1] MietG § 573", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("(fixture/mietg/s573): \"", text, StringComparison.Ordinal);
        // The follow-up was read with the first question's context, so it found the notice periods.
        Assert.Contains("(fixture/mietg/s573c)", text, StringComparison.Ordinal);
        Assert.Contains("(conversation forgotten)", errors.ToString(), StringComparison.Ordinal);
        // The reader's key does not reach the corpus reserved for evaluators.
        Assert.DoesNotContain("intern/", text, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task A_refused_question_is_reported_and_the_chat_goes_on()
    {
        await using var server = await StartServerAsync();
        var output = new Captured();
        var errors = new Captured();
        var input = new StringReader("Was regelt der Kaufvertrag?\nDarf mein Vermieter wegen Eigenbedarf kündigen?\n");
        await using var connection = ChatSession.Connect(server.Address, ReaderKey, NoWaiting);
        var exit = await new ChatSession(connection, server.Address, input, output.Writer, errors.Writer).RunAsync(new ChatSettings(Corpus: "intern"), Ct);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("error: corpus 'intern' is not readable with role reader", errors.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Citations:", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_key_and_an_unreachable_server_end_the_chat_with_the_reason()
    {
        await using var server = await StartServerAsync();
        var errors = new StringWriter();
        await using (var wrong = ChatSession.Connect(server.Address, "wrong-key-wrong-key", NoWaiting))
        {
            var exit = await new ChatSession(wrong, server.Address, new StringReader("Eigenbedarf?\n"), new StringWriter(), errors).RunAsync(new ChatSettings(), Ct);
            Assert.Equal(ExitCodes.Usage, exit);
            Assert.Contains($"refused the API key in {ChatCommand.KeyVariable} (401)", errors.ToString(), StringComparison.Ordinal);
        }

        var dead = new Uri(FakeOpenAiServer.DeadEndpoint()).GetLeftPart(UriPartial.Authority);
        var deadErrors = new StringWriter();
        await using var nowhere = ChatSession.Connect(new Uri(dead), ReaderKey, NoWaiting);
        var deadExit = await new ChatSession(nowhere, new Uri(dead), new StringReader("Eigenbedarf?\n"), new StringWriter(), deadErrors).RunAsync(new ChatSettings(), Ct);
        Assert.Equal(ExitCodes.PartialFailure, deadExit);
        Assert.Contains($"error: cannot reach the LegalRag server at {new Uri(dead)}", deadErrors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_goes_away_mid_answer_is_reported_and_the_chat_ends_when_it_stays_gone()
    {
        // A slow model answer (40 sentences, ~12 s), so the server can be stopped while it streams.
        await using var fake = new FakeOpenAiServer(r => new FakeReply
        {
            Text = string.Concat(Enumerable.Repeat($"Der Vermieter braucht ein berechtigtes Interesse [{FakeOpenAiServer.SourceNumber(r, "MietG § 573")}]. ", 40)),
            ChunkDelay = TimeSpan.FromMilliseconds(50),
        });
        var server = await StartServerAsync(new Dictionary<string, string?> { ["LegalRag:Llm:Endpoint"] = fake.Endpoint });
        var output = new Captured();
        var errors = new Captured();
        var input = new LineFeed();
        await using var connection = ChatSession.Connect(server.Address, ReaderKey, NoWaiting);
        var session = new ChatSession(connection, server.Address, input, output.Writer, errors.Writer).RunAsync(new ChatSettings(), Ct);
        try
        {
            input.Send("Darf mein Vermieter wegen Eigenbedarf kündigen?");
            await output.WaitForAsync("berechtigtes Interesse", TimeSpan.FromSeconds(30));
            // Stopping without grace drops the connection as a crash or a network failure would.
            using (var noGrace = new CancellationTokenSource(TimeSpan.FromMilliseconds(200))) await server.App.StopAsync(noGrace.Token);
            await errors.WaitForAsync("was lost during the answer", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await server.DisposeAsync();
        }
        input.Send("Und welche Fristen gelten dafür?");
        var exit = await session.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(ExitCodes.PartialFailure, exit);
        var said = errors.ToString();
        Assert.Contains($"connection to {server.Address} lost", said, StringComparison.Ordinal);
        Assert.Contains($"error: no connection to {server.Address}; the chat ends here", said, StringComparison.Ordinal);
        Assert.DoesNotContain("Citations:", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_binary_reads_stdin_and_takes_the_key_from_the_environment()
    {
        await using var server = await StartServerAsync();
        var ok = await RunChatAsync(server.Address, ReaderKey, "Darf mein Vermieter wegen Eigenbedarf kündigen?\n");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.StartsWith("In Betracht kommt: MietG § 573", ok.Stdout, StringComparison.Ordinal);
        Assert.Contains("(fixture/mietg/s573)", ok.Stdout, StringComparison.Ordinal);

        var noKey = await RunChatAsync(server.Address, null, "Eigenbedarf?\n");
        Assert.Equal(ExitCodes.Usage, noKey.ExitCode);
        Assert.Contains($"set {ChatCommand.KeyVariable}", noKey.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_at_the_prompt_ends_the_binary_at_once()
    {
        await using var server = await StartServerAsync();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliRunner.Dll, "chat", "--server", server.Address.ToString() }) psi.ArgumentList.Add(a);
        psi.Environment[ChatCommand.KeyVariable] = ReaderKey;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var stderr = new Captured();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Writer.WriteLine(e.Data); };
        process.BeginErrorReadLine();
        try
        {
            // Standard input stays open: the chat waits at its prompt for a question that never comes.
            await stderr.WaitForAsync("connected to", TimeSpan.FromSeconds(60));
            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await interrupt.WaitForExitAsync(Ct);
            using var within = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            within.CancelAfter(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(within.Token);
            Assert.Equal(130, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    private static async Task<CliRunner.Result> RunChatAsync(Uri server, string? key, string stdin)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliRunner.Dll, "chat", "--server", server.ToString() }) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        if (key is null) psi.Environment.Remove(ChatCommand.KeyVariable);
        else psi.Environment[ChatCommand.KeyVariable] = key;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync(Ct);
        return new CliRunner.Result(process.ExitCode, await stdout, await stderr);
    }
}
