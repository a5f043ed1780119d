using System.Buffers.Binary;
using System.Text;

namespace LegalRag.Training.OnnxWriter;

/// <summary>
/// Minimal protobuf wire-format writer: varints, fixed32, length-delimited fields. Only what ONNX models need.
/// Nested messages are written into their own writer first, then copied behind their length prefix.
/// </summary>
internal sealed class ProtoWriter
{
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private byte[] _buffer;
    private int _length;

    public ProtoWriter(int initialCapacity = 256) => _buffer = new byte[Math.Max(16, initialCapacity)];

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>int32/int64/enum field. Negative values take 10 bytes (two's complement), as protobuf specifies.</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, WireVarint);
        WriteVarint((ulong)value);
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, WireFixed32);
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteString(int field, string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteTag(field, WireLengthDelimited);
        WriteVarint((ulong)byteCount);
        Ensure(byteCount);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, WireLengthDelimited);
        WriteVarint((ulong)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    public void WriteMessage(int field, ProtoWriter message) => WriteBytes(field, message.WrittenSpan);

    /// <summary>Packed repeated int64 (one length-delimited field of varints).</summary>
    public void WritePackedInt64(int field, ReadOnlySpan<long> values)
    {
        var body = new ProtoWriter(values.Length * 2 + 8);
        foreach (var v in values)
        {
            body.WriteVarint((ulong)v);
        }

        WriteBytes(field, body.WrittenSpan);
    }

    /// <summary>Packed repeated float (one length-delimited field of little-endian fixed32).</summary>
    public void WritePackedFloat(int field, ReadOnlySpan<float> values)
    {
        WriteTag(field, WireLengthDelimited);
        WriteVarint((ulong)values.Length * 4);
        Ensure(values.Length * 4);
        foreach (var v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_length), v);
            _length += 4;
        }
    }

    private void WriteTag(int field, int wireType) => WriteVarint(((ulong)(uint)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    private void Ensure(int extra)
    {
        var needed = (long)_length + extra;
        if (needed <= _buffer.Length)
        {
            return;
        }

        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException("ONNX model exceeds 2 GB, the protobuf limit for a single message");
        }

        var size = (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_buffer.Length * 2));
        Array.Resize(ref _buffer, size);
    }
}
