namespace LegalRag.Training.OnnxWriter;

/// <summary>
/// Builds an ONNX graph op by op. Each op method adds one node and returns the name of its output, so graphs read
/// like straight-line code: <c>var h = g.Add(g.MatMul(x, w), b);</c>. Targets the default domain at
/// <see cref="DefaultOpset"/> (ReduceMean takes axes as an attribute there, ReduceSum/Unsqueeze as an input).
/// </summary>
public sealed class GraphBuilder
{
    /// <summary>Opset 17: the first with LayerNormalization.</summary>
    public const long DefaultOpset = 17;

    private readonly string _name;
    private readonly List<NodeDef> _nodes = [];
    private readonly List<TensorDef> _initializers = [];
    private readonly List<ValueInfoDef> _inputs = [];
    private readonly List<ValueInfoDef> _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    public GraphBuilder(string name = "graph") => _name = name;

    /// <summary>Declares a graph input.</summary>
    public string Input(string name, TensorDataType type, params TensorDim[] shape)
    {
        Claim(name);
        _inputs.Add(new ValueInfoDef(name, type, shape));
        return name;
    }

    /// <summary>Declares an existing value as a graph output.</summary>
    public GraphBuilder Output(string value, TensorDataType type, params TensorDim[] shape)
    {
        _outputs.Add(new ValueInfoDef(value, type, shape));
        return this;
    }

    /// <summary>A float constant (weights). Name is generated from <paramref name="hint"/>.</summary>
    public string Initializer(string hint, float[] data, params long[] dims)
    {
        var name = Fresh(hint);
        _initializers.Add(TensorDef.Float(name, data, dims));
        return name;
    }

    /// <summary>An int64 constant (shapes, axes, indices).</summary>
    public string Initializer(string hint, long[] data, params long[] dims)
    {
        var name = Fresh(hint);
        _initializers.Add(TensorDef.Int64(name, data, dims));
        return name;
    }

    /// <summary>A float scalar constant.</summary>
    public string Scalar(float value, string hint = "scalar") => Initializer(hint, [value]);

    /// <summary>A 1-D int64 constant, e.g. a target shape for Reshape or the axes of Unsqueeze.</summary>
    public string Int64s(string hint, params long[] values) => Initializer(hint, values, values.Length);

    /// <summary>Adds any node; returns its outputs (<paramref name="outputCount"/> of them).</summary>
    public string[] Node(string opType, IReadOnlyList<string> inputs, int outputCount = 1, params AttributeDef[] attributes)
    {
        var nodeName = Fresh(opType);
        var outputs = new string[outputCount];
        for (var i = 0; i < outputCount; i++)
        {
            outputs[i] = outputCount == 1 ? nodeName + "_out" : $"{nodeName}_out{i}";
            Claim(outputs[i]);
        }

        _nodes.Add(new NodeDef(opType, inputs.ToArray(), outputs, nodeName, attributes));
        return outputs;
    }

    private string One(string opType, IReadOnlyList<string> inputs, params AttributeDef[] attributes)
        => Node(opType, inputs, 1, attributes)[0];

    /// <summary>Copies <paramref name="x"/> to a value of the given name, e.g. to expose "last_hidden_state".</summary>
    public string Identity(string x, string outputName)
    {
        Claim(outputName);
        _nodes.Add(new NodeDef("Identity", [x], [outputName], Fresh("Identity"), []));
        return outputName;
    }

    public string Gather(string data, string indices, long axis = 0) => One("Gather", [data, indices], AttributeDef.Int("axis", axis));

    public string MatMul(string a, string b) => One("MatMul", [a, b]);

    public string Add(string a, string b) => One("Add", [a, b]);

    public string Sub(string a, string b) => One("Sub", [a, b]);

    public string Mul(string a, string b) => One("Mul", [a, b]);

    public string Div(string a, string b) => One("Div", [a, b]);

    public string Sqrt(string x) => One("Sqrt", [x]);

    public string Erf(string x) => One("Erf", [x]);

    public string Tanh(string x) => One("Tanh", [x]);

    public string Equal(string a, string b) => One("Equal", [a, b]);

    public string Where(string condition, string whenTrue, string whenFalse) => One("Where", [condition, whenTrue, whenFalse]);

    public string Softmax(string x, long axis = -1) => One("Softmax", [x], AttributeDef.Int("axis", axis));

    public string LayerNormalization(string x, string scale, string bias, long axis = -1, float epsilon = 1e-5f)
        => One("LayerNormalization", [x, scale, bias], AttributeDef.Int("axis", axis), AttributeDef.Float("epsilon", epsilon));

    public string Transpose(string x, params long[] perm) => One("Transpose", [x], AttributeDef.Ints("perm", perm));

    /// <summary>Reshape to a constant shape (0 copies the input dim, -1 infers one dim).</summary>
    public string Reshape(string x, params long[] shape) => One("Reshape", [x, Int64s("shape", shape)]);

    public string Unsqueeze(string x, params long[] axes) => One("Unsqueeze", [x, Int64s("axes", axes)]);

    public string Cast(string x, TensorDataType to) => One("Cast", [x], AttributeDef.Int("to", (long)to));

    /// <summary>Opset 17 ReduceMean: axes is an attribute.</summary>
    public string ReduceMean(string x, long[] axes, bool keepDims = true)
        => One("ReduceMean", [x], AttributeDef.Ints("axes", axes), AttributeDef.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Opset 13+ ReduceSum: axes is an input.</summary>
    public string ReduceSum(string x, long[] axes, bool keepDims = true)
        => One("ReduceSum", [x, Int64s("axes", axes)], AttributeDef.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>GELU as BERT computes it: x * 0.5 * (1 + erf(x / sqrt(2))).</summary>
    public string Gelu(string x)
    {
        var scaled = Div(x, Scalar(MathF.Sqrt(2f), "sqrt2"));
        var gate = Add(Erf(scaled), Scalar(1f, "one"));
        return Mul(Mul(x, gate), Scalar(0.5f, "half"));
    }

    public ModelDef Build(long opset = DefaultOpset)
    {
        if (_outputs.Count == 0)
        {
            throw new InvalidOperationException($"Graph {_name} declares no outputs");
        }

        return new ModelDef(new GraphDef(_name, _nodes.ToArray(), _initializers.ToArray(), _inputs.ToArray(), _outputs.ToArray()),
            [new OpsetImport("", opset)]);
    }

    private string Fresh(string hint)
    {
        string name;
        do
        {
            name = $"{hint}_{_counter++}";
        }
        while (_names.Contains(name));

        Claim(name);
        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new ArgumentException($"Value name '{name}' is already used in graph {_name}");
        }
    }
}
