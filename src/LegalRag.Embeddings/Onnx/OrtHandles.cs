using System.Runtime.InteropServices;

namespace LegalRag.Embeddings.Onnx;

/// <summary>
/// Base of every owned ORT object: the SafeHandle guarantees exactly one Release call, also when a caller forgets
/// Dispose (finalizer) or an exception interrupts construction.
/// </summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle(OrtApi api) : base(IntPtr.Zero, ownsHandle: true) => Api = api;

    protected OrtApi Api { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Adopts a pointer ORT just handed out (the out-parameter of a Create call).</summary>
    public void Adopt(IntPtr created) => SetHandle(created);
}

internal sealed unsafe class OrtEnvHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseEnv(handle);
        return true;
    }
}

internal sealed unsafe class OrtSessionOptionsHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseSessionOptions(handle);
        return true;
    }
}

internal sealed unsafe class OrtSessionHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseSession(handle);
        return true;
    }
}

internal sealed unsafe class OrtMemoryInfoHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseMemoryInfo(handle);
        return true;
    }
}

internal sealed unsafe class OrtTypeInfoHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseTypeInfo(handle);
        return true;
    }
}

internal sealed unsafe class OrtTensorTypeAndShapeInfoHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseTensorTypeAndShapeInfo(handle);
        return true;
    }
}

internal sealed unsafe class OrtCudaProviderOptionsHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseCUDAProviderOptions(handle);
        return true;
    }
}

/// <summary>
/// An OrtValue. When it wraps managed memory (CreateTensorWithDataAsOrtValue) it also owns the pin on that memory,
/// released only after the OrtValue itself, so ORT never sees the buffer move or vanish under it.
/// </summary>
internal sealed unsafe class OrtValueHandle(OrtApi api) : OrtHandle(api)
{
    private GCHandle _pin;

    public void AttachPin(GCHandle pin) => _pin = pin;

    protected override bool ReleaseHandle()
    {
        Api.ReleaseValue(handle);
        if (_pin.IsAllocated)
        {
            _pin.Free();
        }

        return true;
    }
}
