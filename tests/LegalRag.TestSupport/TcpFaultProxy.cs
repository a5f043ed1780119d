using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LegalRag.TestSupport;

/// <summary>What <see cref="TcpFaultProxy"/> does with connections.</summary>
public enum ProxyFault
{
    /// <summary>Forward bytes both ways unchanged.</summary>
    None,
    /// <summary>Accept, then reset at once: to the client, the dependency refuses connections.</summary>
    Refuse,
    /// <summary>Accept and read nothing, answer nothing: a hung dependency.</summary>
    Blackhole,
    /// <summary>Forward, but hold every chunk back by <see cref="TcpFaultProxy.Delay"/>: a slow dependency.</summary>
    Delay,
}

/// <summary>
/// A TCP proxy on loopback in front of a dependency (Qdrant's gRPC port, an LLM endpoint), with faults
/// injected on command: refuse, blackhole or delay connections, or drop the live ones. It counts the
/// connections it accepted, so a test can see how many attempts a client made.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, Socket> _live = new();
    private readonly Task _acceptLoop;
    private int _fault;
    private long _delayTicks;
    private int _accepted;
    private long _nextId;

    /// <param name="upstreamPort">The dependency's port on loopback (a closed port works: forwarding then resets the client).</param>
    public TcpFaultProxy(int upstreamPort)
    {
        _upstream = new IPEndPoint(IPAddress.Loopback, upstreamPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>Connections accepted so far (every attempt a client made, whatever the fault).</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public ProxyFault Fault => (ProxyFault)Volatile.Read(ref _fault);

    public TimeSpan Delay => TimeSpan.FromTicks(Volatile.Read(ref _delayTicks));

    /// <summary>A port nothing listens on (free when asked).</summary>
    public static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Switches the fault for new connections and drops the live ones (a client's pooled connection would otherwise dodge it).</summary>
    public void Inject(ProxyFault fault, TimeSpan delay = default)
    {
        if (fault == ProxyFault.Delay && delay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delay), delay, "a delay fault needs a positive delay");
        Volatile.Write(ref _delayTicks, delay.Ticks);
        Volatile.Write(ref _fault, (int)fault);
        DropConnections();
    }

    /// <summary>Resets every live connection, as a restarting dependency does.</summary>
    public void DropConnections()
    {
        foreach (var (id, socket) in _live)
            if (_live.TryRemove(id, out _)) Reset(socket);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            Interlocked.Increment(ref _accepted);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        switch (Fault)
        {
            case ProxyFault.Refuse:
                Reset(client);
                return;
            case ProxyFault.Blackhole:
                Track(client);
                return;
        }
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await upstream.ConnectAsync(_upstream, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            upstream.Dispose();
            Reset(client);
            return;
        }
        client.NoDelay = true;
        var clientId = Track(client);
        var upstreamId = Track(upstream);
        await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client)).ConfigureAwait(false);
        if (_live.TryRemove(clientId, out _)) Reset(client);
        if (_live.TryRemove(upstreamId, out _)) Reset(upstream);
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0) return;
                if (Fault == ProxyFault.Delay) await Task.Delay(Delay, _stop.Token).ConfigureAwait(false);
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Either side went away, or a fault dropped the connection: the pair is closed by the caller.
        }
    }

    private long Track(Socket socket)
    {
        var id = Interlocked.Increment(ref _nextId);
        _live[id] = socket;
        return id;
    }

    private static void Reset(Socket socket)
    {
        try
        {
            // Linger 0: close with RST, as a refused or crashed peer looks to the client.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception)
        {
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _acceptLoop.ConfigureAwait(false); } catch (Exception) { /* stopping */ }
        DropConnections();
        _listener.Dispose();
        _stop.Dispose();
    }
}
