using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LegalRag.Embeddings.Onnx;

/// <summary>
/// A loaded ONNX Runtime: the native library, its API table and one OrtEnv. Loaded once per library path and kept
/// for the life of the process (ORT allows a single environment per process; unloading it is not supported).
/// </summary>
public sealed unsafe class OrtRuntime
{
    private static readonly ConcurrentDictionary<string, Lazy<OrtRuntime>> Loaded = new(StringComparer.Ordinal);

    private readonly OrtEnvHandle _env;
    private readonly OrtMemoryInfoHandle _cpuMemory;

    private OrtRuntime(string libraryPath, OrtApi api, string version, OrtEnvHandle env, OrtMemoryInfoHandle cpuMemory)
    {
        LibraryPath = libraryPath;
        Api = api;
        Version = version;
        _env = env;
        _cpuMemory = cpuMemory;
    }

    /// <summary>Full path of the native library in use.</summary>
    public string LibraryPath { get; }

    /// <summary>ORT's own version string, e.g. "1.30.0".</summary>
    public string Version { get; }

    internal OrtApi Api { get; }

    internal IntPtr CpuMemoryInfo => _cpuMemory.DangerousGetHandle();

    /// <summary>
    /// Loads (or returns the already loaded) runtime at the configured path.
    /// Throws <see cref="OnnxRuntimeLibraryException"/> naming the path when the file is missing or unusable.
    /// </summary>
    public static OrtRuntime Load(OnnxRuntimeOptions? options = null)
    {
        options ??= new OnnxRuntimeOptions();
        var path = options.ResolveLibraryPath();
        var lazy = Loaded.GetOrAdd(path, p => new Lazy<OrtRuntime>(() => LoadFrom(p, options.LogSeverity)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A failed load must not poison the cache: the file may be fetched and the call retried.
            Loaded.TryRemove(new KeyValuePair<string, Lazy<OrtRuntime>>(path, lazy));
            throw;
        }
    }

    private static OrtRuntime LoadFrom(string path, int logSeverity)
    {
        if (!File.Exists(path))
        {
            throw new OnnxRuntimeLibraryException(path,
                $"ONNX Runtime native library not found at {path}: run tools/fetch-onnxruntime.sh " +
                $"(or set {OnnxRuntimeOptions.LibraryPathVariable} to the library's full path)");
        }

        IntPtr library;
        try
        {
            library = NativeLibrary.Load(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            throw new OnnxRuntimeLibraryException(path,
                $"ONNX Runtime native library at {path} could not be loaded (corrupt file or wrong platform?): {ex.Message}", ex);
        }

        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBaseExport))
        {
            throw new OnnxRuntimeLibraryException(path,
                $"{path} loaded but does not export OrtGetApiBase: it is not an ONNX Runtime library");
        }

        var apiBase = ((delegate* unmanaged<IntPtr>)getApiBaseExport)();
        var getApi = (delegate* unmanaged<uint, IntPtr>)((IntPtr*)apiBase)[0];
        var getVersion = (delegate* unmanaged<byte*>)((IntPtr*)apiBase)[1];
        var version = Marshal.PtrToStringUTF8((IntPtr)getVersion()) ?? "unknown";

        var table = getApi(OrtApi.ApiVersion);
        if (table == IntPtr.Zero)
        {
            throw new OnnxRuntimeLibraryException(path,
                $"ONNX Runtime {version} at {path} does not provide C API version {OrtApi.ApiVersion}");
        }

        var api = new OrtApi(table);
        var env = new OrtEnvHandle(api);
        var logId = OrtApi.Utf8z("legalrag");
        IntPtr envPtr;
        fixed (byte* logIdPtr = logId)
        {
            api.Check(api.CreateEnv(Math.Clamp(logSeverity, 0, 4), logIdPtr, &envPtr), "CreateEnv");
        }

        env.Adopt(envPtr);

        var cpuMemory = new OrtMemoryInfoHandle(api);
        IntPtr memoryPtr;
        // OrtDeviceAllocator (0), OrtMemTypeDefault (0): plain CPU memory for tensors over managed buffers.
        api.Check(api.CreateCpuMemoryInfo(0, 0, &memoryPtr), "CreateCpuMemoryInfo");
        cpuMemory.Adopt(memoryPtr);

        return new OrtRuntime(path, api, version, env, cpuMemory);
    }

    /// <summary>Execution providers compiled into this build (not all of them necessarily usable on this machine).</summary>
    public IReadOnlyList<string> AvailableProviders()
    {
        byte** names;
        int count;
        Api.Check(Api.GetAvailableProviders(&names, &count), "GetAvailableProviders");
        try
        {
            var result = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                result.Add(Marshal.PtrToStringUTF8((IntPtr)names[i]) ?? "");
            }

            return result;
        }
        finally
        {
            Api.Check(Api.ReleaseAvailableProviders(names, count), "ReleaseAvailableProviders");
        }
    }

    /// <summary>Opens a model file. Throws with the file name when it is missing or not a valid ONNX model.</summary>
    public OnnxSession CreateSession(string modelPath, OnnxSessionOptions? options = null, ILogger? logger = null)
    {
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"ONNX model file not found: {fullPath}", fullPath);
        }

        return CreateSessionCore(options, logger, fullPath, (sessionOptions, outSession) =>
        {
            var pathBytes = OrtApi.Utf8z(fullPath);
            fixed (byte* pathPtr = pathBytes)
            {
                return Api.CreateSession(_env.DangerousGetHandle(), pathPtr, sessionOptions, outSession);
            }
        });
    }

    /// <summary>Opens a model held in memory (e.g. one just built with the OnnxWriter).</summary>
    public OnnxSession CreateSession(ReadOnlySpan<byte> modelBytes, OnnxSessionOptions? options = null, ILogger? logger = null,
        string description = "in-memory model")
    {
        if (modelBytes.IsEmpty)
        {
            throw new ArgumentException($"ONNX model bytes for {description} are empty", nameof(modelBytes));
        }

        fixed (byte* data = modelBytes)
        {
            var dataPtr = data;
            var length = (nuint)modelBytes.Length;
            return CreateSessionCore(options, logger, description,
                (sessionOptions, outSession) => Api.CreateSessionFromArray(_env.DangerousGetHandle(), dataPtr, length, sessionOptions, outSession));
        }
    }

    private delegate IntPtr SessionFactory(IntPtr sessionOptions, IntPtr* outSession);

    private OnnxSession CreateSessionCore(OnnxSessionOptions? options, ILogger? logger, string description, SessionFactory create)
    {
        options ??= new OnnxSessionOptions();
        logger ??= NullLogger.Instance;

        using var sessionOptions = new OrtSessionOptionsHandle(Api);
        IntPtr optionsPtr;
        Api.Check(Api.CreateSessionOptions(&optionsPtr), "CreateSessionOptions");
        sessionOptions.Adopt(optionsPtr);

        if (options.IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IntraOpThreads, "IntraOpThreads must be 0 (ORT default) or positive");
        }

        Api.Check(Api.SetIntraOpNumThreads(optionsPtr, options.IntraOpThreads), "SetIntraOpNumThreads");
        Api.Check(Api.SetSessionGraphOptimizationLevel(optionsPtr, (int)options.OptimizationLevel), "SetSessionGraphOptimizationLevel");

        var active = ExecutionProvider.Cpu;
        if (options.ExecutionProvider == ExecutionProvider.Cuda)
        {
            active = TryAppendCuda(optionsPtr, options.CudaDeviceId, logger) ? ExecutionProvider.Cuda : ExecutionProvider.Cpu;
        }

        var session = new OrtSessionHandle(Api);
        IntPtr sessionPtr;
        var status = create(optionsPtr, &sessionPtr);
        if (status != IntPtr.Zero)
        {
            session.Dispose();
            Api.Check(status, $"Creating an ONNX Runtime session for {description}");
        }

        session.Adopt(sessionPtr);
        try
        {
            return new OnnxSession(this, session, active, description);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends the CUDA execution provider; on any failure (CPU-only build, no provider library, no driver or GPU)
    /// logs a warning and leaves the options on CPU, so a misconfigured GPU box degrades instead of failing.
    /// </summary>
    private bool TryAppendCuda(IntPtr sessionOptions, int deviceId, ILogger logger)
    {
        try
        {
            using var cuda = new OrtCudaProviderOptionsHandle(Api);
            IntPtr cudaPtr;
            Api.Check(Api.CreateCUDAProviderOptions(&cudaPtr), "CreateCUDAProviderOptions");
            cuda.Adopt(cudaPtr);

            var key = OrtApi.Utf8z("device_id");
            var value = OrtApi.Utf8z(deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            fixed (byte* keyPtr = key)
            fixed (byte* valuePtr = value)
            {
                var keys = stackalloc byte*[] { keyPtr };
                var values = stackalloc byte*[] { valuePtr };
                Api.Check(Api.UpdateCUDAProviderOptions(cudaPtr, keys, values, 1), "UpdateCUDAProviderOptions");
            }

            Api.Check(Api.SessionOptionsAppendExecutionProvider_CUDA_V2(sessionOptions, cudaPtr), "SessionOptionsAppendExecutionProvider_CUDA_V2");
            return true;
        }
        catch (OnnxRuntimeException ex)
        {
            logger.LogWarning("CUDA execution provider unavailable, falling back to CPU: {Reason}", ex.Message);
            return false;
        }
    }
}
