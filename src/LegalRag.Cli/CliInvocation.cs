using System.CommandLine;

namespace LegalRag.Cli;

/// <summary>
/// One run of the command line: its parse result, for commands built outside this project (eval) whose callbacks
/// receive none, and what they opened, closed when the command ends. One per invocation, never shared.
/// </summary>
public sealed class CliInvocation : IAsyncDisposable
{
    private ParseResult? _parse;
    private readonly List<IAsyncDisposable> _owned = [];

    public ParseResult Parse
    {
        get => _parse ?? throw new InvalidOperationException("the command line has not been parsed yet");
        set => _parse = _parse is null ? value : throw new InvalidOperationException("the command line was already parsed");
    }

    /// <summary>Keeps <paramref name="resource"/> open until the command ends.</summary>
    public T Own<T>(T resource) where T : IAsyncDisposable
    {
        lock (_owned) _owned.Add(resource);
        return resource;
    }

    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] owned;
        lock (_owned)
        {
            owned = [.. _owned];
            _owned.Clear();
        }
        foreach (var resource in owned.Reverse()) await resource.DisposeAsync();
    }
}
