using System.Runtime.InteropServices;
using Google.Protobuf;
using LegalRag.Training.OnnxWriter.Proto;

namespace LegalRag.Training.OnnxWriter;

/// <summary>TensorProto.DataType values.</summary>
public enum TensorDataType
{
    Float = 1,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
}

/// <summary>One dimension of a declared shape: a fixed size or a symbolic name such as "batch".</summary>
public readonly record struct TensorDim(long? Value, string? Param)
{
    public static implicit operator TensorDim(long value) => new(value, null);

    public static implicit operator TensorDim(int value) => new(value, null);

    public static implicit operator TensorDim(string param) => new(null, param);

    public override string ToString() => Param ?? Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}

/// <summary>ValueInfoProto with a tensor TypeProto: a graph input or output declaration.</summary>
public sealed record ValueInfoDef(string Name, TensorDataType ElementType, IReadOnlyList<TensorDim> Shape)
{
    internal ValueInfoProto ToProto()
    {
        var shape = new TensorShapeProto();
        foreach (var dim in Shape)
        {
            shape.Dim.Add(dim.Param is not null
                ? new TensorShapeProto.Types.Dimension { DimParam = dim.Param }
                : new TensorShapeProto.Types.Dimension { DimValue = dim.Value ?? throw new InvalidOperationException($"Dimension of {Name} has neither a value nor a name") });
        }

        return new ValueInfoProto
        {
            Name = Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)ElementType, Shape = shape } },
        };
    }
}

/// <summary>TensorProto: float data goes to raw_data (little-endian), int64 data to packed int64_data.</summary>
public sealed class TensorDef
{
    private TensorDef(string name, TensorDataType type, long[] dims, float[]? floats, long[]? int64s)
    {
        var count = dims.Aggregate(1L, (a, d) => a * d);
        var actual = floats?.Length ?? int64s!.Length;
        if (count != actual)
        {
            throw new ArgumentException($"Tensor {name}: dims [{string.Join(", ", dims)}] hold {count} elements, data has {actual}");
        }

        Name = name;
        DataType = type;
        Dims = dims;
        FloatData = floats;
        Int64Data = int64s;
    }

    public string Name { get; }

    public TensorDataType DataType { get; }

    public IReadOnlyList<long> Dims { get; }

    public float[]? FloatData { get; }

    public long[]? Int64Data { get; }

    public static TensorDef Float(string name, float[] data, params long[] dims) => new(name, TensorDataType.Float, dims, data, null);

    public static TensorDef Int64(string name, long[] data, params long[] dims) => new(name, TensorDataType.Int64, dims, null, data);

    internal TensorProto ToProto()
    {
        var proto = new TensorProto { DataType = (int)DataType, Name = Name };
        proto.Dims.AddRange(Dims);
        if (FloatData is not null)
        {
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("raw_data must be little-endian");
            }

            proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(FloatData.AsSpan()));
        }
        else
        {
            proto.Int64Data.AddRange(Int64Data!);
        }

        return proto;
    }
}

/// <summary>AttributeProto. Only the kinds graph builders here need: int, float, string, ints, floats, tensor.</summary>
public sealed class AttributeDef
{
    private enum Kind
    {
        // AttributeProto.AttributeType values.
        Float = 1,
        Int = 2,
        String = 3,
        Tensor = 4,
        Floats = 6,
        Ints = 7,
    }

    private readonly Kind _kind;
    private readonly object _value;

    private AttributeDef(string name, Kind kind, object value)
    {
        Name = name;
        _kind = kind;
        _value = value;
    }

    public string Name { get; }

    public static AttributeDef Int(string name, long value) => new(name, Kind.Int, value);

    public static AttributeDef Float(string name, float value) => new(name, Kind.Float, value);

    public static AttributeDef String(string name, string value) => new(name, Kind.String, value);

    public static AttributeDef Ints(string name, params long[] values) => new(name, Kind.Ints, values);

    public static AttributeDef Floats(string name, params float[] values) => new(name, Kind.Floats, values);

    public static AttributeDef Tensor(string name, TensorDef value) => new(name, Kind.Tensor, value);

    internal AttributeProto ToProto()
    {
        var proto = new AttributeProto { Name = Name, Type = (int)_kind };
        switch (_value)
        {
            case float f:
                proto.F = f;
                break;
            case long i:
                proto.I = i;
                break;
            case string s:
                proto.S = ByteString.CopyFromUtf8(s);
                break;
            case TensorDef t:
                proto.T = t.ToProto();
                break;
            case float[] floats:
                proto.Floats.AddRange(floats);
                break;
            case long[] ints:
                proto.Ints.AddRange(ints);
                break;
        }

        return proto;
    }
}

/// <summary>NodeProto.</summary>
public sealed record NodeDef(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string Name,
    IReadOnlyList<AttributeDef> Attributes, string Domain = "")
{
    internal NodeProto ToProto()
    {
        var proto = new NodeProto { Name = Name, OpType = OpType, Domain = Domain };
        proto.Input.AddRange(Inputs);
        proto.Output.AddRange(Outputs);
        proto.Attribute.AddRange(Attributes.Select(a => a.ToProto()));
        return proto;
    }
}

/// <summary>GraphProto.</summary>
public sealed record GraphDef(string Name, IReadOnlyList<NodeDef> Nodes, IReadOnlyList<TensorDef> Initializers,
    IReadOnlyList<ValueInfoDef> Inputs, IReadOnlyList<ValueInfoDef> Outputs)
{
    internal GraphProto ToProto()
    {
        var proto = new GraphProto { Name = Name };
        proto.Node.AddRange(Nodes.Select(n => n.ToProto()));
        proto.Initializer.AddRange(Initializers.Select(t => t.ToProto()));
        proto.Input.AddRange(Inputs.Select(i => i.ToProto()));
        proto.Output.AddRange(Outputs.Select(o => o.ToProto()));
        return proto;
    }
}

/// <summary>OperatorSetIdProto: the operator set (domain, version) the graph's nodes bind to.</summary>
public sealed record OpsetImport(string Domain, long Version);

/// <summary>ModelProto: the top-level .onnx file.</summary>
public sealed record ModelDef(GraphDef Graph, IReadOnlyList<OpsetImport> Opsets, long IrVersion = ModelDef.DefaultIrVersion,
    string ProducerName = "LegalRag.OnnxWriter", string ProducerVersion = "1")
{
    /// <summary>IR version 8 (ONNX 1.10+): understood by every ONNX Runtime this project supports.</summary>
    public const long DefaultIrVersion = 8;

    /// <summary>The model as ONNX protobuf bytes, serialized by Google.Protobuf from the generated onnx-subset.proto classes.</summary>
    public byte[] ToBytes() => ToProto().ToByteArray();

    internal ModelProto ToProto()
    {
        var proto = new ModelProto { IrVersion = IrVersion, ProducerName = ProducerName, ProducerVersion = ProducerVersion, Graph = Graph.ToProto() };
        proto.OpsetImport.AddRange(Opsets.Select(o => new OperatorSetIdProto { Domain = o.Domain, Version = o.Version }));
        return proto;
    }

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());
}
