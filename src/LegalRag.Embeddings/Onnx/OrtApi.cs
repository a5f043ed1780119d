using System.Runtime.InteropServices;
using System.Text;

namespace LegalRag.Embeddings.Onnx;

/// <summary>
/// The ONNX Runtime C API function table (struct OrtApi in onnxruntime_c_api.h), read slot by slot.
/// </summary>
/// <remarks>
/// OrtApi is an append-only struct of function pointers: a slot, once published, never moves. The indices below
/// were counted from the header (API version 13) and every function used sits at or below slot 208, so any
/// runtime that answers GetApi(13) (ONNX Runtime 1.13 and later, 1.30 included) has them at the same place.
/// On Linux ORT_API_CALL is the platform default convention, hence plain <c>delegate* unmanaged</c>.
/// </remarks>
internal sealed unsafe class OrtApi
{
    /// <summary>The API version whose table layout this binding was written against.</summary>
    public const uint ApiVersion = 13;

    private static class Slot
    {
        public const int GetErrorCode = 1;
        public const int GetErrorMessage = 2;
        public const int CreateEnv = 3;
        public const int CreateSession = 7;
        public const int CreateSessionFromArray = 8;
        public const int Run = 9;
        public const int CreateSessionOptions = 10;
        public const int SetSessionGraphOptimizationLevel = 23;
        public const int SetIntraOpNumThreads = 24;
        public const int SessionGetInputCount = 30;
        public const int SessionGetOutputCount = 31;
        public const int SessionGetInputTypeInfo = 33;
        public const int SessionGetOutputTypeInfo = 34;
        public const int SessionGetInputName = 36;
        public const int SessionGetOutputName = 37;
        public const int CreateTensorAsOrtValue = 48;
        public const int CreateTensorWithDataAsOrtValue = 49;
        public const int GetTensorMutableData = 51;
        public const int CastTypeInfoToTensorInfo = 55;
        public const int GetOnnxTypeFromTypeInfo = 56;
        public const int GetTensorElementType = 60;
        public const int GetDimensionsCount = 61;
        public const int GetDimensions = 62;
        public const int GetTensorTypeAndShape = 65;
        public const int CreateCpuMemoryInfo = 69;
        public const int AllocatorFree = 76;
        public const int GetAllocatorWithDefaultOptions = 78;
        public const int ReleaseEnv = 92;
        public const int ReleaseStatus = 93;
        public const int ReleaseMemoryInfo = 94;
        public const int ReleaseSession = 95;
        public const int ReleaseValue = 96;
        public const int ReleaseTypeInfo = 98;
        public const int ReleaseTensorTypeAndShapeInfo = 99;
        public const int ReleaseSessionOptions = 100;
        public const int GetAvailableProviders = 125;
        public const int ReleaseAvailableProviders = 126;
        public const int SessionOptionsAppendExecutionProvider_CUDA_V2 = 204;
        public const int CreateCUDAProviderOptions = 205;
        public const int UpdateCUDAProviderOptions = 206;
        public const int ReleaseCUDAProviderOptions = 208;
    }

    public readonly delegate* unmanaged<IntPtr, int> GetErrorCode;
    public readonly delegate* unmanaged<IntPtr, byte*> GetErrorMessage;
    public readonly delegate* unmanaged<int, byte*, IntPtr*, IntPtr> CreateEnv;
    public readonly delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr> CreateSession;
    public readonly delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr> CreateSessionFromArray;
    public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr> Run;
    public readonly delegate* unmanaged<IntPtr*, IntPtr> CreateSessionOptions;
    public readonly delegate* unmanaged<IntPtr, int, IntPtr> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged<IntPtr, int, IntPtr> SetIntraOpNumThreads;
    public readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetInputCount;
    public readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetOutputCount;
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetInputName;
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetOutputName;
    public readonly delegate* unmanaged<IntPtr, long*, nuint, int, IntPtr*, IntPtr> CreateTensorAsOrtValue;
    public readonly delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged<IntPtr, void**, IntPtr> GetTensorMutableData;
    public readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged<IntPtr, int*, IntPtr> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged<IntPtr, int*, IntPtr> GetTensorElementType;
    public readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> GetDimensionsCount;
    public readonly delegate* unmanaged<IntPtr, long*, nuint, IntPtr> GetDimensions;
    public readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr> GetTensorTypeAndShape;
    public readonly delegate* unmanaged<int, int, IntPtr*, IntPtr> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged<IntPtr, void*, IntPtr> AllocatorFree;
    public readonly delegate* unmanaged<IntPtr*, IntPtr> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseEnv;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseStatus;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseSession;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseValue;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged<byte***, int*, IntPtr> GetAvailableProviders;
    public readonly delegate* unmanaged<byte**, int, IntPtr> ReleaseAvailableProviders;
    public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr> SessionOptionsAppendExecutionProvider_CUDA_V2;
    public readonly delegate* unmanaged<IntPtr*, IntPtr> CreateCUDAProviderOptions;
    public readonly delegate* unmanaged<IntPtr, byte**, byte**, nuint, IntPtr> UpdateCUDAProviderOptions;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseCUDAProviderOptions;

    public OrtApi(IntPtr table)
    {
        var slots = (IntPtr*)table;
        GetErrorCode = (delegate* unmanaged<IntPtr, int>)slots[Slot.GetErrorCode];
        GetErrorMessage = (delegate* unmanaged<IntPtr, byte*>)slots[Slot.GetErrorMessage];
        CreateEnv = (delegate* unmanaged<int, byte*, IntPtr*, IntPtr>)slots[Slot.CreateEnv];
        CreateSession = (delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr>)slots[Slot.CreateSession];
        CreateSessionFromArray = (delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr>)slots[Slot.CreateSessionFromArray];
        Run = (delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)slots[Slot.Run];
        CreateSessionOptions = (delegate* unmanaged<IntPtr*, IntPtr>)slots[Slot.CreateSessionOptions];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<IntPtr, int, IntPtr>)slots[Slot.SetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)slots[Slot.SetIntraOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)slots[Slot.SessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)slots[Slot.SessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)slots[Slot.SessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)slots[Slot.SessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)slots[Slot.SessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)slots[Slot.SessionGetOutputName];
        CreateTensorAsOrtValue = (delegate* unmanaged<IntPtr, long*, nuint, int, IntPtr*, IntPtr>)slots[Slot.CreateTensorAsOrtValue];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)slots[Slot.CreateTensorWithDataAsOrtValue];
        GetTensorMutableData = (delegate* unmanaged<IntPtr, void**, IntPtr>)slots[Slot.GetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)slots[Slot.CastTypeInfoToTensorInfo];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<IntPtr, int*, IntPtr>)slots[Slot.GetOnnxTypeFromTypeInfo];
        GetTensorElementType = (delegate* unmanaged<IntPtr, int*, IntPtr>)slots[Slot.GetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)slots[Slot.GetDimensionsCount];
        GetDimensions = (delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)slots[Slot.GetDimensions];
        GetTensorTypeAndShape = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)slots[Slot.GetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, IntPtr*, IntPtr>)slots[Slot.CreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged<IntPtr, void*, IntPtr>)slots[Slot.AllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<IntPtr*, IntPtr>)slots[Slot.GetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged<IntPtr, void>)slots[Slot.ReleaseEnv];
        ReleaseStatus = (delegate* unmanaged<IntPtr, void>)slots[Slot.ReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged<IntPtr, void>)slots[Slot.ReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged<IntPtr, void>)slots[Slot.ReleaseSession];
        ReleaseValue = (delegate* unmanaged<IntPtr, void>)slots[Slot.ReleaseValue];
        ReleaseTypeInfo = (delegate* unmanaged<IntPtr, void>)slots[Slot.ReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<IntPtr, void>)slots[Slot.ReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged<IntPtr, void>)slots[Slot.ReleaseSessionOptions];
        GetAvailableProviders = (delegate* unmanaged<byte***, int*, IntPtr>)slots[Slot.GetAvailableProviders];
        ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, IntPtr>)slots[Slot.ReleaseAvailableProviders];
        SessionOptionsAppendExecutionProvider_CUDA_V2 = (delegate* unmanaged<IntPtr, IntPtr, IntPtr>)slots[Slot.SessionOptionsAppendExecutionProvider_CUDA_V2];
        CreateCUDAProviderOptions = (delegate* unmanaged<IntPtr*, IntPtr>)slots[Slot.CreateCUDAProviderOptions];
        UpdateCUDAProviderOptions = (delegate* unmanaged<IntPtr, byte**, byte**, nuint, IntPtr>)slots[Slot.UpdateCUDAProviderOptions];
        ReleaseCUDAProviderOptions = (delegate* unmanaged<IntPtr, void>)slots[Slot.ReleaseCUDAProviderOptions];
    }

    /// <summary>Turns a non-null OrtStatus into an exception carrying ORT's own message, releasing the status.</summary>
    public void Check(IntPtr status, string operation)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }

        var code = (OrtErrorCode)GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((IntPtr)GetErrorMessage(status)) ?? "(no message)";
        ReleaseStatus(status);
        throw new OnnxRuntimeException(code, $"{operation} failed ({code}): {message}");
    }

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="value"/> for passing as const char*.</summary>
    public static byte[] Utf8z(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}

/// <summary>OrtErrorCode from the C API.</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
}

/// <summary>An ONNX Runtime call failed; the message is ORT's own, prefixed with what we were doing.</summary>
public class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException(OrtErrorCode code, string message) : base(message) => ErrorCode = code;

    public OnnxRuntimeException(string message, Exception? inner = null) : base(message, inner) => ErrorCode = OrtErrorCode.Fail;

    public OrtErrorCode ErrorCode { get; }
}

/// <summary>The native library is missing, unloadable, or not an ONNX Runtime of a usable version.</summary>
public sealed class OnnxRuntimeLibraryException : OnnxRuntimeException
{
    public OnnxRuntimeLibraryException(string libraryPath, string message, Exception? inner = null) : base(message, inner)
        => LibraryPath = libraryPath;

    public string LibraryPath { get; }
}
