using System.Globalization;
using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.CSharp;

public static partial class CSharpEmitter
{
    // Shape of the fibre class:
    //
    //   public static partial class DwellFibre
    //   {
    //       public const string Name = "dwell";
    //       public static class Parameters { public const double Budget = 5.0d; ... }
    //       public static IReadOnlyList<SigilBinding> Map { get; }      // role -> domain name
    //       public static class Prices { public const string Dwell = "price_dwell"; }
    //       public static class FixedPoint { public const int ScaleBits = 20; ... }
    //       public static class Actions { public const double KillPrice = 15.0d; ... }
    //       public static class Metrics { public const string DwellSecondsCurrent = "..."; }
    //   }
    private static string EmitFibre(FibreSpec spec, string namespaceName)
    {
        var w = Header(spec, namespaceName);
        var type = TypeName(spec);
        w.Line("/// <summary>The <c>" + CodeText.XmlDoc(spec.Name) + "</c> fibre, compiled from <c>" + CodeText.XmlDoc(spec.SourceFileName) + "</c>.</summary>");
        w.Line("/// <remarks>");
        w.Line("/// Solved by " + spec.Solver.Method.ToString().ToLowerInvariant() + (spec.Solver.Online ? " (online: loads are sensed)" : " (offline)") + ".");
        foreach (var coupling in spec.Couplings)
        {
            w.Line("/// <para><c>" + CodeText.XmlDoc(coupling.Statement) + "</c></para>");
        }

        foreach (var utility in spec.Utilities)
        {
            w.Line("/// <para><c>" + CodeText.XmlDoc(utility.Statement) + "</c></para>");
        }

        w.Line("/// </remarks>");
        w.Line(GeneratedCodeAttribute);
        w.Open("public static partial class " + type);
        w.Line("/// <summary>The fibre's name.</summary>");
        w.Line("public const string Name = " + CodeText.CSharpString(spec.Name) + ";");
        w.Line();
        w.Line("/// <summary>The file the fibre was compiled from.</summary>");
        w.Line("public const string SourceFileName = " + CodeText.CSharpString(spec.SourceFileName) + ";");
        w.Line();
        w.Line("/// <summary>True when the fibre's loads are sensed (online) rather than computed.</summary>");
        w.Line("public const bool IsOnline = " + (spec.Solver.Online ? "true" : "false") + ";");

        EmitMap(w, spec);
        EmitParameters(w, spec);
        EmitPrices(w, spec);
        EmitFixedPoint(w, spec);
        EmitActions(w, spec);
        EmitMetrics(w, spec);
        EmitAnalysis(w, spec);
        w.Close();
        return w.ToString();
    }

    private static void EmitMap(SourceWriter w, FibreSpec spec)
    {
        w.Line();
        w.Line("/// <summary>The sigil map: the role each domain name of this fibre plays.</summary>");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::Sigil.Runtime.Fibres.SigilBinding> Map { get; } = new global::Sigil.Runtime.Fibres.SigilBinding[]");
        w.Line("{");
        w.Indentation++;
        foreach (var index in spec.Indices)
        {
            w.Line(Binding("global::Sigil.Runtime.Fibres.SigilRole.Index", index.Name, string.Empty));
        }

        foreach (var variable in spec.Variables)
        {
            w.Line(Binding("global::Sigil.Runtime.Fibres.SigilRole.Variable", variable.Name, variable.Unit.ToString()));
        }

        foreach (var resource in spec.Resources)
        {
            w.Line(Binding("global::Sigil.Runtime.Fibres.SigilRole.Resource", resource.Name, resource.Unit.ToString()));
        }

        foreach (var price in spec.PriceExports)
        {
            w.Line(Binding("global::Sigil.Runtime.Fibres.SigilRole.Price", price.Resource, string.Empty));
        }

        foreach (var utility in spec.Utilities)
        {
            w.Line(Binding("global::Sigil.Runtime.Fibres.SigilRole.Utility", utility.Variable, utility.Family.ToString().ToLowerInvariant()));
        }

        w.Indentation--;
        w.Line("};");
    }

    private static string Binding(string role, string name, string detail) =>
        "new(" + role + ", " + CodeText.CSharpString(name) + ", " + CodeText.CSharpString(detail) + "),";

    private static void EmitParameters(SourceWriter w, FibreSpec spec)
    {
        w.Line();
        w.Line("/// <summary>The fibre's named parameters.</summary>");
        w.Open("public static class Parameters");
        foreach (var p in spec.Parameters)
        {
            w.Line("/// <summary><c>" + CodeText.XmlDoc(p.Name) + "</c>" + UnitSuffix(p.Unit) + ".</summary>");
            w.Line("public const double " + CodeText.Pascal(CodeText.Identifier(p.Name)) + " = " + CodeText.CSharpDouble(p.Value) + ";");
            w.Line();
        }

        w.Line("/// <summary>The decomposition's step (dual), rho (ADMM) or mu (penalty).</summary>");
        w.Line("public const double Step = " + CodeText.CSharpDouble(StepOf(spec.Solver)) + ";");
        w.Close();
    }

    private static double StepOf(SolverSpec solver) => solver.Method switch
    {
        SolverMethod.Admm => solver.Rho,
        SolverMethod.Penalty => solver.Mu,
        _ => solver.Step,
    };

    private static string UnitSuffix(UnitSpec unit) => unit.IsDimensionless ? string.Empty : ", in " + CodeText.XmlDoc(unit.ToString());

    private static void EmitPrices(SourceWriter w, FibreSpec spec)
    {
        w.Line();
        w.Line("/// <summary>Exported prices: the names of the maps that hold them.</summary>");
        w.Open("public static class Prices");
        foreach (var price in spec.PriceExports)
        {
            w.Line("/// <summary>The price of <c>@" + CodeText.XmlDoc(price.Resource) + "</c>.</summary>");
            w.Line("public const string " + CodeText.Pascal(CodeText.Identifier(price.Resource)) + " = " + CodeText.CSharpString(price.MapName) + ";");
        }

        w.Close();
    }

    private static void EmitFixedPoint(SourceWriter w, FibreSpec spec)
    {
        if (spec.FixedPoint is not { } fp)
        {
            return;
        }

        w.Line();
        w.Line("/// <summary>");
        w.Line("/// The kernel's fixed-point price update for <c>@" + CodeText.XmlDoc(fp.Resource) + "</c>: values are scaled by 2^" + fp.ScaleBits.ToString(CultureInfo.InvariantCulture) + ",");
        w.Line("/// <c>price = min(PriceMax, max(0, price + ((Step * (min(load, LoadMax) - Budget)) &gt;&gt; ScaleBits)))</c>.");
        w.Line("/// </summary>");
        w.Open("public static class FixedPoint");
        w.Line("/// <summary>Binary digits after the point.</summary>");
        w.Line("public const int ScaleBits = " + fp.ScaleBits.ToString(CultureInfo.InvariantCulture) + ";");
        w.Line("/// <summary>The step, scaled.</summary>");
        w.Line("public const long Step = " + Long(fp.StepFixed) + ";");
        w.Line("/// <summary>The budget, scaled.</summary>");
        w.Line("public const long Budget = " + Long(fp.BudgetFixed) + ";");
        w.Line("/// <summary>The input clamp on loads, scaled.</summary>");
        w.Line("public const long LoadMax = " + Long(fp.LoadMaxFixed) + ";");
        w.Line("/// <summary>The saturation of prices, scaled.</summary>");
        w.Line("public const long PriceMax = " + Long(fp.PriceMaxFixed) + ";");
        w.Line("/// <summary>Kernel nanoseconds per unit of load.</summary>");
        w.Line("public const long NanosecondsPerUnit = " + Long(fp.NanosecondsPerUnit) + ";");
        w.Close();
    }

    private static string Long(long value) => value.ToString(CultureInfo.InvariantCulture) + "L";

    private static void EmitActions(SourceWriter w, FibreSpec spec)
    {
        w.Line();
        w.Line("/// <summary>Actions and the prices at which they apply.</summary>");
        w.Open("public static class Actions");
        foreach (var group in spec.Actuators.GroupBy(a => a.Kind))
        {
            var n = 0;
            foreach (var act in group)
            {
                var name = CodeText.Pascal(act.Kind.ToString()) + (n++ == 0 ? string.Empty : n.ToString(CultureInfo.InvariantCulture));
                w.Line("/// <summary><c>" + CodeText.XmlDoc(act.Statement) + "</c></summary>");
                w.Line("public const double " + name + "Price = " + CodeText.CSharpDouble(act.Threshold) + ";");
                foreach (var arg in act.Arguments)
                {
                    w.Line("/// <summary>Argument <c>" + CodeText.XmlDoc(arg.Name) + "</c> of <c>" + act.Kind.ToString().ToLowerInvariant() + "</c>.</summary>");
                    w.Line("public const double " + name + CodeText.Pascal(CodeText.Identifier(arg.Name)) + " = " + CodeText.CSharpDouble(arg.Value) + ";");
                }
            }
        }

        w.Close();
    }

    private static void EmitMetrics(SourceWriter w, FibreSpec spec)
    {
        w.Line();
        w.Line("/// <summary>Exported metric names.</summary>");
        w.Open("public static class Metrics");
        foreach (var metric in spec.Metrics)
        {
            w.Line("/// <summary><c>" + CodeText.XmlDoc(metric.Statement) + "</c></summary>");
            w.Line("public const string " + CodeText.Pascal(CodeText.Identifier(metric.Name)) + " = " + CodeText.CSharpString(metric.Name) + ";");
            if (metric.Target is { } target)
            {
                w.Line("/// <summary>The autoscaler's target for <c>" + CodeText.XmlDoc(metric.Name) + "</c>.</summary>");
                w.Line("public const double " + CodeText.Pascal(metric.Name) + "Target = " + CodeText.CSharpDouble(target) + ";");
            }
        }

        w.Close();
    }

    private static void EmitAnalysis(SourceWriter w, FibreSpec spec)
    {
        var a = spec.Analysis;
        w.Line();
        w.Line("/// <summary>What the compiler's analyses found (the numbers the proofs and the report use).</summary>");
        w.Open("public static class Analysis");
        w.Line("/// <summary>mu: the least curvature -U'' over the variables' bounds.</summary>");
        w.Line("public const double MinCurvature = " + CodeText.CSharpDouble(a.MinCurvature) + ";");
        w.Line("/// <summary>An upper bound on ||A||^2.</summary>");
        w.Line("public const double NormASquared = " + CodeText.CSharpDouble(a.NormASquared) + ";");
        w.Line("/// <summary>2 / L: dual steps below it converge.</summary>");
        w.Line("public const double MaxStableStep = " + CodeText.CSharpDouble(a.MaxStableStep) + ";");
        w.Line("/// <summary>G: the bound on the load error per row.</summary>");
        w.Line("public const double LoadErrorBound = " + CodeText.CSharpDouble(a.LoadErrorBound) + ";");
        w.Line("/// <summary>gamma^2 G^2: the bound on the Lyapunov drift per update.</summary>");
        w.Line("public const double DriftBound = " + CodeText.CSharpDouble(a.DriftBound) + ";");
        w.Line("/// <summary>Whether the resource dependence graph is chordal.</summary>");
        w.Line("public const bool IsChordal = " + (a.Graph.IsChordal ? "true" : "false") + ";");
        w.Line("/// <summary>A perfect elimination ordering of the resource dependence graph (empty when not chordal).</summary>");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<string> EliminationOrdering { get; } = new string[] { "
            + string.Join(", ", a.Graph.PerfectEliminationOrdering.Select(CodeText.CSharpString)) + " };");
        w.Close();
    }
}
