using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Sigil.Runtime.Solvers;

namespace Sigil.Generators.Tests;

/// <summary>
/// A network fibre over a route matrix R[link, flow] read from a long CSV: the generated C# stores
/// R's nonzeros only, builds A from them, and solves proportional fairness to CVXOPT's answer.
/// </summary>
public sealed class MatrixFibreTests
{
    private const int Links = 6;
    private const int Flows = 10;

    private const string Fibre = """
        fibre network {
            index link in 0 .. 5;
            index flow in 0 .. 9;
            table R[link, flow] from "routes.csv";
            $rate[flow] : Mbit/s in [0, 100];
            @cap[link] : Mbit/s = 10;
            couple @cap[l] >= sum(f in flow) R[l, f] * $rate[f];
            utility $rate[f] ~ log($rate[f] + 0.001);
            solve dual { tolerance = 1e-9; iterations = 100000; }
        }
        """;

    // Each flow crosses one to three links, a fixed pseudo-random route; some explicit zeros too.
    private static (double[,] Routes, string Csv) Routes()
    {
        var routes = new double[Links, Flows];
        var csv = new StringBuilder("link,flow,value\n");
        var random = new Random(13);
        for (var f = 0; f < Flows; f++)
        {
            var hops = 1 + (f % 3);
            foreach (var l in Enumerable.Range(0, Links).OrderBy(_ => random.Next()).Take(hops))
            {
                routes[l, f] = 1;
                csv.Append(l).Append(',').Append(f).Append(",1\n");
            }

            csv.Append((f + 1) % Links == 0 ? "#\n" : string.Empty);
            if (routes[(f + 1) % Links, f] == 0)
            {
                csv.Append((f + 1) % Links).Append(',').Append(f).Append(",0\n");
            }
        }

        return (routes, csv.ToString());
    }

    [Fact]
    public void NetworkFibre_GeneratedCode_StoresNonzerosOnly_AndSolvesToCvxopt()
    {
        var (routes, csv) = Routes();
        var nonzeros = routes.Cast<double>().Count(static v => v != 0);
        var files = ImmutableArray.Create<AdditionalText>(
            new GeneratorHost.InMemoryText("/src/network.sigil", Fibre),
            new GeneratorHost.InMemoryText("/src/routes.csv", csv));

        // The generated table holds exactly R's nonzeros, by rows.
        var (_, output, _) = GeneratorHost.Run(GeneratorHost.NewDriver(files), GeneratorHost.NewCompilation());
        var source = output.SyntaxTrees.Select(static t => t.ToString()).Single(static t => t.Contains("s_R_value", StringComparison.Ordinal));
        var values = source.Split('\n').Single(static l => l.Contains("double[] s_R_value", StringComparison.Ordinal));
        Assert.Equal(nonzeros, values.Split('{')[1].Split('}')[0].Split(',').Length);
        Assert.DoesNotContain(" 0,", values, StringComparison.Ordinal);

        var assembly = GeneratorTests.CompileToAssembly(files);
        var type = assembly.GetType("Consumer.Fibres.NetworkFibre")!;
        var problem = type.GetMethod("CreateProblem", Type.EmptyTypes)!.Invoke(null, null)!;
        var coupling = (CouplingMatrix)problem.GetType().GetProperty("Coupling")!.GetValue(problem)!;
        Assert.Equal((Links, Flows), (coupling.RowCount, coupling.ColumnCount));
        Assert.Equal(nonzeros, coupling.NonZeroCount);
        Assert.DoesNotContain(0.0, coupling.RowValue.ToArray());

        var solve = type.GetMethods().Single(static m => m.Name == "Solve" && m.GetParameters().Length == 1);
        var result = (SolverResult)solve.Invoke(null, new[] { problem })!;
        Assert.Equal(SolveStatus.Solved, result.Status);

        var expected = CvxoptRates(routes, capacity: 10, upper: 100, eps: 0.001);
        for (var f = 0; f < Flows; f++)
        {
            Assert.True(Math.Abs(result.X[f] - expected[f]) <= 1e-4 * Math.Max(1, expected[f]), $"flow {f}: sigil {result.X[f]}, CVXOPT {expected[f]}");
        }
    }

    // maximise sum_f log(x_f + eps) s.t. R x <= c, 0 <= x <= M, by CVXOPT's convex solver (cp).
    private static double[] CvxoptRates(double[,] routes, double capacity, double upper, double eps)
    {
        var rows = string.Join(", ", Enumerable.Range(0, Links).Select(l => "[" + string.Join(", ", Enumerable.Range(0, Flows).Select(f => routes[l, f].ToString(CultureInfo.InvariantCulture))) + "]"));
        var script = $$"""
            import json
            from cvxopt import matrix, solvers, spdiag, log
            solvers.options['show_progress'] = False
            solvers.options['reltol'] = 1e-10
            solvers.options['abstol'] = 1e-10
            R = matrix([{{rows}}]).T
            n = {{Flows}}
            eps = {{eps.ToString(CultureInfo.InvariantCulture)}}
            def F(x=None, z=None):
                if x is None:
                    return 0, matrix(0.01, (n, 1))
                if min(x + eps) <= 0:
                    return None
                f = -sum(log(x + eps))
                Df = (-(x + eps) ** -1).T
                if z is None:
                    return f, Df
                return f, Df, spdiag(z[0] * (x + eps) ** -2)
            I = spdiag(matrix(1.0, (n, 1)))
            G = matrix([R, -I, I])
            h = matrix([matrix({{capacity.ToString(CultureInfo.InvariantCulture)}}, (R.size[0], 1)), matrix(0.0, (n, 1)), matrix({{upper.ToString(CultureInfo.InvariantCulture)}}, (n, 1))])
            s = solvers.cp(F, G, h)
            print(json.dumps({'status': s['status'], 'x': list(s['x'])}))
            """;
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(start)!;
        var text = python.StandardOutput.ReadToEnd();
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, error);
        using var json = JsonDocument.Parse(text);
        Assert.Equal("optimal", json.RootElement.GetProperty("status").GetString());
        return json.RootElement.GetProperty("x").EnumerateArray().Select(static x => x.GetDouble()).ToArray();
    }
}
