namespace LegalRag.Embeddings.Tests.Onnx;

/// <summary>Plain C# reference implementations the ORT results are checked against (written for clarity, not speed).</summary>
internal static class ReferenceMath
{
    public static float[] RandomFloats(Random random, int count, float scale = 1f)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        }

        return values;
    }

    /// <summary>[m,k] x [k,n] for each of <paramref name="batch"/> left matrices sharing one right matrix.</summary>
    public static float[] MatMul(float[] a, int batch, int m, int k, float[] b, int n, bool batchedB = false)
    {
        var result = new float[batch * m * n];
        for (var t = 0; t < batch; t++)
        {
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (var p = 0; p < k; p++)
                    {
                        var bv = batchedB ? b[t * k * n + p * n + j] : b[p * n + j];
                        sum += a[t * m * k + i * k + p] * bv;
                    }

                    result[t * m * n + i * n + j] = (float)sum;
                }
            }
        }

        return result;
    }

    public static void AddRowVector(float[] x, float[] row)
    {
        for (var i = 0; i < x.Length; i++)
        {
            x[i] += row[i % row.Length];
        }
    }

    public static void SoftmaxRows(float[] x, int width)
    {
        for (var r = 0; r < x.Length / width; r++)
        {
            var max = float.NegativeInfinity;
            for (var j = 0; j < width; j++)
            {
                max = Math.Max(max, x[r * width + j]);
            }

            double sum = 0;
            for (var j = 0; j < width; j++)
            {
                sum += Math.Exp(x[r * width + j] - max);
            }

            for (var j = 0; j < width; j++)
            {
                x[r * width + j] = (float)(Math.Exp(x[r * width + j] - max) / sum);
            }
        }
    }

    public static float[] LayerNormRows(float[] x, int width, float[] gamma, float[] beta, float epsilon)
    {
        var result = new float[x.Length];
        for (var r = 0; r < x.Length / width; r++)
        {
            double mean = 0;
            for (var j = 0; j < width; j++)
            {
                mean += x[r * width + j];
            }

            mean /= width;
            double variance = 0;
            for (var j = 0; j < width; j++)
            {
                var d = x[r * width + j] - mean;
                variance += d * d;
            }

            variance /= width;
            for (var j = 0; j < width; j++)
            {
                result[r * width + j] = (float)((x[r * width + j] - mean) / Math.Sqrt(variance + epsilon) * gamma[j] + beta[j]);
            }
        }

        return result;
    }

    /// <summary>Transposes the last two dims of [batch, rows, cols].</summary>
    public static float[] TransposeLast(float[] x, int batch, int rows, int cols)
    {
        var result = new float[x.Length];
        for (var t = 0; t < batch; t++)
        {
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < cols; j++)
                {
                    result[t * rows * cols + j * rows + i] = x[t * rows * cols + i * cols + j];
                }
            }
        }

        return result;
    }

    public static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, float tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > tolerance)
            {
                Assert.Fail($"Element {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance})");
            }
        }
    }
}
