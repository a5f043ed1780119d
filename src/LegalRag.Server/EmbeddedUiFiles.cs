using System.Reflection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace LegalRag.Server;

/// <summary>
/// Serves the web UI from resources embedded in this assembly (logical names "wwwroot/…"), so the
/// server needs no files beside it, whichever program hosts it (the CLI's `serve`, tests, this project).
/// </summary>
public sealed class EmbeddedUiFiles : IFileProvider
{
    private const string Prefix = "wwwroot";
    private readonly Assembly _assembly = typeof(EmbeddedUiFiles).Assembly;
    private readonly HashSet<string> _names;
    private readonly DateTimeOffset _modified;

    public EmbeddedUiFiles()
    {
        _names = _assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix + "/", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        _modified = File.Exists(_assembly.Location) ? File.GetLastWriteTimeUtc(_assembly.Location) : DateTimeOffset.UtcNow;
    }

    public IReadOnlyCollection<string> Names => _names;

    public IFileInfo GetFileInfo(string subpath)
    {
        var name = Prefix + "/" + subpath.TrimStart('/');
        return _names.Contains(name) ? new ResourceFile(_assembly, name, _modified) : new NotFoundFileInfo(subpath);
    }

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    private sealed class ResourceFile(Assembly assembly, string name, DateTimeOffset modified) : IFileInfo
    {
        public bool Exists => true;
        public long Length { get; } = ReadLength(assembly, name);
        public string? PhysicalPath => null;
        public string Name => System.IO.Path.GetFileName(name);
        public DateTimeOffset LastModified => modified;
        public bool IsDirectory => false;
        public Stream CreateReadStream() => assembly.GetManifestResourceStream(name) ?? throw new FileNotFoundException(name);

        private static long ReadLength(Assembly assembly, string name)
        {
            using var s = assembly.GetManifestResourceStream(name);
            return s?.Length ?? 0;
        }
    }
}
