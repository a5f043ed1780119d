using System.Runtime.InteropServices;

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
    // Field numbers from onnx.proto3: ValueInfoProto{name=1,type=2}, TypeProto{tensor_type=1},
    // TypeProto.Tensor{elem_type=1,shape=2}, TensorShapeProto{dim=1}, Dimension{dim_value=1,dim_param=2}.
    internal ProtoWriter Write()
    {
        var shape = new ProtoWriter();
        foreach (var dim in Shape)
        {
            var d = new ProtoWriter(32);
            if (dim.Param is not null)
            {
                d.WriteString(2, dim.Param);
            }
            else
            {
                d.WriteInt64(1, dim.Value ?? throw new InvalidOperationException($"Dimension of {Name} has neither a value nor a name"));
            }

            shape.WriteMessage(1, d);
        }

        var tensorType = new ProtoWriter();
        tensorType.WriteInt64(1, (long)ElementType);
        tensorType.WriteMessage(2, shape);

        var type = new ProtoWriter();
        type.WriteMessage(1, tensorType);

        var info = new ProtoWriter();
        info.WriteString(1, Name);
        info.WriteMessage(2, type);
        return info;
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

    // TensorProto{dims=1,data_type=2,int64_data=7(packed),name=8,raw_data=9}
    internal ProtoWriter Write()
    {
        var w = new ProtoWriter((FloatData?.Length ?? 0) * 4 + (Int64Data?.Length ?? 0) * 10 + 64);
        foreach (var dim in Dims)
        {
            w.WriteInt64(1, dim);
        }

        w.WriteInt64(2, (long)DataType);
        w.WriteString(8, Name);
        if (FloatData is not null)
        {
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("raw_data must be little-endian");
            }

            w.WriteBytes(9, MemoryMarshal.AsBytes(FloatData.AsSpan()));
        }
        else
        {
            w.WritePackedInt64(7, Int64Data);
        }

        return w;
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

    // AttributeProto{name=1,f=2,i=3,s=4,t=5,floats=7,ints=8,type=20}; repeated scalars written unpacked as in onnx.proto.
    internal ProtoWriter Write()
    {
        var w = new ProtoWriter();
        w.WriteString(1, Name);
        switch (_value)
        {
            case float f:
                w.WriteFloat(2, f);
                break;
            case long i:
                w.WriteInt64(3, i);
                break;
            case string s:
                w.WriteString(4, s);
                break;
            case TensorDef t:
                w.WriteMessage(5, t.Write());
                break;
            case float[] floats:
                foreach (var f in floats)
                {
                    w.WriteFloat(7, f);
                }

                break;
            case long[] ints:
                foreach (var i in ints)
                {
                    w.WriteInt64(8, i);
                }

                break;
        }

        w.WriteInt64(20, (long)_kind);
        return w;
    }
}

/// <summary>NodeProto.</summary>
public sealed record NodeDef(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string Name,
    IReadOnlyList<AttributeDef> Attributes, string Domain = "")
{
    // NodeProto{input=1,output=2,name=3,op_type=4,attribute=5,domain=7}
    internal ProtoWriter Write()
    {
        var w = new ProtoWriter();
        foreach (var input in Inputs)
        {
            w.WriteString(1, input);
        }

        foreach (var output in Outputs)
        {
            w.WriteString(2, output);
        }

        w.WriteString(3, Name);
        w.WriteString(4, OpType);
        foreach (var attribute in Attributes)
        {
            w.WriteMessage(5, attribute.Write());
        }

        if (Domain.Length > 0)
        {
            w.WriteString(7, Domain);
        }

        return w;
    }
}

/// <summary>GraphProto.</summary>
public sealed record GraphDef(string Name, IReadOnlyList<NodeDef> Nodes, IReadOnlyList<TensorDef> Initializers,
    IReadOnlyList<ValueInfoDef> Inputs, IReadOnlyList<ValueInfoDef> Outputs)
{
    // GraphProto{node=1,name=2,initializer=5,input=11,output=12}
    internal ProtoWriter Write()
    {
        var w = new ProtoWriter(Initializers.Sum(t => (t.FloatData?.Length ?? 0) * 4 + (t.Int64Data?.Length ?? 0) * 10 + 64) + 4096);
        foreach (var node in Nodes)
        {
            w.WriteMessage(1, node.Write());
        }

        w.WriteString(2, Name);
        foreach (var initializer in Initializers)
        {
            w.WriteMessage(5, initializer.Write());
        }

        foreach (var input in Inputs)
        {
            w.WriteMessage(11, input.Write());
        }

        foreach (var output in Outputs)
        {
            w.WriteMessage(12, output.Write());
        }

        return w;
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

    // ModelProto{ir_version=1,producer_name=2,producer_version=3,graph=7,opset_import=8}; OperatorSetIdProto{domain=1,version=2}
    public byte[] ToBytes()
    {
        var graph = Graph.Write();
        var w = new ProtoWriter(graph.Length + 256);
        w.WriteInt64(1, IrVersion);
        w.WriteString(2, ProducerName);
        w.WriteString(3, ProducerVersion);
        w.WriteMessage(7, graph);
        foreach (var opset in Opsets)
        {
            var o = new ProtoWriter(32);
            if (opset.Domain.Length > 0)
            {
                o.WriteString(1, opset.Domain);
            }

            o.WriteInt64(2, opset.Version);
            w.WriteMessage(8, o);
        }

        return w.ToArray();
    }

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());
}
