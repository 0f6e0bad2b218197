using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Hosting.Placement;

/// <summary>
/// A shared row family of a placement: for every domain d,
/// <c>sum over threads t of Coefficient[d] * $x[t, d] &lt;= Capacity[d]</c>, priced per domain.
/// </summary>
/// <param name="Name">The resource (and price) name, e.g. <c>llc</c>.</param>
/// <param name="Unit">Its unit, for logs and HELP.</param>
/// <param name="Capacity">The budget of each domain, in domain order.</param>
/// <param name="Coefficient">What one thread placed wholly on domain d loads the row with (A's entry), in domain order.</param>
/// <param name="Statement">The coupling statement, for logs.</param>
public sealed record PlacementResource(string Name, string Unit, IReadOnlyList<double> Capacity, IReadOnlyList<double> Coefficient, string Statement);

/// <summary>
/// The row of each thread over the domains: <c>sum over d of Coefficient[d] * $x[t, d] (== | &lt;=) Total</c>
/// (<c>couple placed: sum(d in domain) $x[t, d] == 1;</c>: every thread is placed in full).
/// </summary>
/// <param name="Name">The row family's label.</param>
/// <param name="Coefficient">Per domain, in domain order.</param>
/// <param name="Total">The right-hand side.</param>
/// <param name="Equality">True for <c>==</c>, false for <c>&lt;=</c>.</param>
/// <param name="Statement">The coupling statement, for logs.</param>
public sealed record PlacementAssignment(string Name, IReadOnlyList<double> Coefficient, double Total, bool Equality, string Statement);

/// <summary>The utility of the placement variable, one set of parameters per domain (they may not depend on the thread).</summary>
/// <param name="Family">The concave family.</param>
/// <param name="Weight">w per domain.</param>
/// <param name="Offset">eps per domain (log, alpha-fair; else 0).</param>
/// <param name="Shape">alpha (alpha-fair) or k (quadratic) per domain; else 0.</param>
/// <param name="Statement">The utility statement, for logs.</param>
public sealed record PlacementUtility(UtilityKind Family, IReadOnlyList<double> Weight, IReadOnlyList<double> Offset, IReadOnlyList<double> Shape, string Statement);

/// <summary>The fibre's ADMM settings (<c>solve admm { rho = 1.0; tolerance = 1e-6; iterations = 5000; }</c>).</summary>
/// <param name="Rho">The augmented-Lagrangian penalty.</param>
/// <param name="AbsoluteTolerance">eps_abs of the residual stopping rule.</param>
/// <param name="RelativeTolerance">eps_rel of the residual stopping rule.</param>
/// <param name="MaxIterations">Iteration cap per solve.</param>
/// <param name="Statement">The solve statement, for logs.</param>
/// <param name="FixedRho">Keep <paramref name="Rho"/> for the whole solve (<c>certify admm</c>, the model's <c>SolverSpec.FixedRho</c>).</param>
public sealed record PlacementAdmm(double Rho, double AbsoluteTolerance, double RelativeTolerance, int MaxIterations, string Statement, bool FixedRho = false);

/// <summary>
/// A placement fibre's shape with every number resolved: the agents (threads, the daemon's agent
/// index) are placed over a static index of domains by a decision variable <c>$x[t, d]</c> in
/// <c>[Lower[d], Upper[d]]</c>, under shared per-domain rows and one row per thread, maximising the
/// utility; the daemon solves it by ADMM every placement period over the active threads and pins
/// each thread to the domain that holds its largest share.
/// </summary>
/// <param name="Variable">The placement variable family, e.g. <c>x</c>.</param>
/// <param name="DomainIndex">The static index of domains, e.g. <c>domain</c>.</param>
/// <param name="Domains">The domains' names, in table order (the member numbers that key the kernel's price maps).</param>
/// <param name="Lower">The variable's lower bound per domain.</param>
/// <param name="Upper">The variable's upper bound per domain.</param>
/// <param name="Resources">The shared per-domain rows, in fibre order.</param>
/// <param name="Assignment">The row per thread.</param>
/// <param name="Utility">The utility of the variable.</param>
/// <param name="Admm">The ADMM settings.</param>
/// <param name="PriceScaleBits">Exported prices are written to the kernel's price maps as <c>round(price * 2^PriceScaleBits)</c>.</param>
public sealed record PlacementDescription(
    string Variable,
    string DomainIndex,
    IReadOnlyList<string> Domains,
    IReadOnlyList<double> Lower,
    IReadOnlyList<double> Upper,
    IReadOnlyList<PlacementResource> Resources,
    PlacementAssignment Assignment,
    PlacementUtility Utility,
    PlacementAdmm Admm,
    int PriceScaleBits)
{
    /// <summary>The number of domains.</summary>
    public int DomainCount => Domains.Count;

    /// <summary>The resource named <paramref name="name"/>, or -1.</summary>
    public int IndexOfResource(string name)
    {
        for (var r = 0; r < Resources.Count; r++)
        {
            if (string.Equals(Resources[r].Name, name, StringComparison.Ordinal))
            {
                return r;
            }
        }

        return -1;
    }

    /// <summary>
    /// The most thread mass the domains hold: a thread placed wholly on domain d takes
    /// <c>Total / Assignment.Coefficient[d]</c> of <c>$x</c> there, so domain d holds at most
    /// <c>min over r of Capacity[r][d] * Assignment.Coefficient[d] / (Coefficient[r][d] * Total)</c>
    /// threads; the sum over domains is how many threads fit. Infinite when nothing limits it.
    /// </summary>
    public double ThreadsThatFit()
    {
        var total = 0.0;
        for (var d = 0; d < DomainCount; d++)
        {
            var fit = double.PositiveInfinity;
            foreach (var resource in Resources)
            {
                var a = resource.Coefficient[d];
                if (a > 0)
                {
                    fit = Math.Min(fit, resource.Capacity[d] * Assignment.Coefficient[d] / (a * Assignment.Total));
                }
            }

            total += fit;
        }

        return total;
    }

    /// <summary>Problems with the numbers (none for a placement built by the compiler from a valid fibre).</summary>
    public IReadOnlyList<string> Validate(string fibre)
    {
        var problems = new List<string>();
        var where = $"fibre '{fibre}': placement";
        if (Domains is null || Resources is null || Assignment is null || Utility is null || Admm is null || Lower is null || Upper is null)
        {
            problems.Add($"{where}: the description is incomplete");
            return problems;
        }

        if (Domains.Count == 0)
        {
            problems.Add($"{where}: index '{DomainIndex}' has no domain (a placement needs at least one)");
            return problems;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var domain in Domains)
        {
            if (!IsName(domain))
            {
                problems.Add($"{where}: domain '{domain}' is not a valid name");
            }
            else if (!seen.Add(domain))
            {
                problems.Add($"{where}: domain '{domain}' appears twice");
            }
        }

        var d = Domains.Count;
        Lengths(problems, where, "the lower bounds of $" + Variable, Lower, d);
        Lengths(problems, where, "the upper bounds of $" + Variable, Upper, d);
        if (Lower.Count == d && Upper.Count == d)
        {
            for (var i = 0; i < d; i++)
            {
                if (!Sigil.Descriptors.DoubleFacts.IsFinite(Lower[i]) || !Sigil.Descriptors.DoubleFacts.IsFinite(Upper[i]) || Lower[i] > Upper[i])
                {
                    problems.Add(Format($"{where}: $" + Variable + "[t, {0}] has bounds [{1}, {2}]: they must be finite and ordered", Domains[i], Lower[i], Upper[i]));
                }
            }
        }

        if (Resources.Count == 0)
        {
            problems.Add($"{where}: no shared per-domain row (couple @resource[d] >= sum(t in ...) a * ${Variable}[t, d];)");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in Resources)
        {
            if (resource is null || resource.Capacity is null || resource.Coefficient is null)
            {
                problems.Add($"{where}: a resource is incomplete");
                continue;
            }

            if (!IsName(resource.Name) || !names.Add(resource.Name))
            {
                problems.Add($"{where}: resource '{resource.Name}' is not a valid, unique name");
            }

            if (!Lengths(problems, where, $"the capacities of @{resource.Name}", resource.Capacity, d)
                | !Lengths(problems, where, $"the coefficients of @{resource.Name}", resource.Coefficient, d))
            {
                continue;
            }

            for (var i = 0; i < d; i++)
            {
                if (!Sigil.Descriptors.DoubleFacts.IsFinite(resource.Capacity[i]) || resource.Capacity[i] < 0)
                {
                    problems.Add(Format($"{where}: @{resource.Name}[{{0}}] has capacity {{1}}: a capacity must be finite and >= 0", Domains[i], resource.Capacity[i]));
                }

                if (!Sigil.Descriptors.DoubleFacts.IsFinite(resource.Coefficient[i]) || resource.Coefficient[i] < 0)
                {
                    problems.Add(Format($"{where}: @{resource.Name}[{{0}}] is loaded with coefficient {{1}}: coefficients must be finite and >= 0", Domains[i], resource.Coefficient[i]));
                }
            }
        }

        if (Assignment.Coefficient is null || !Lengths(problems, where, $"the coefficients of '{Assignment.Name}'", Assignment.Coefficient, d))
        {
            return problems;
        }

        for (var i = 0; i < d; i++)
        {
            if (!(Assignment.Coefficient[i] > 0) || !Sigil.Descriptors.DoubleFacts.IsFinite(Assignment.Coefficient[i]))
            {
                problems.Add(Format($"{where}: '{Assignment.Name}' has coefficient {{1}} at domain {{0}}: it must be finite and > 0", Domains[i], Assignment.Coefficient[i]));
            }
        }

        if (!(Assignment.Total > 0) || !Sigil.Descriptors.DoubleFacts.IsFinite(Assignment.Total))
        {
            problems.Add(Format($"{where}: '{Assignment.Name}' places {{0}} of each thread: it must be finite and > 0", Assignment.Total));
        }

        if (Utility.Weight is null || Utility.Offset is null || Utility.Shape is null)
        {
            problems.Add($"{where}: the utility is incomplete");
            return problems;
        }

        Lengths(problems, where, "the utility weights", Utility.Weight, d);
        Lengths(problems, where, "the utility offsets", Utility.Offset, d);
        Lengths(problems, where, "the utility shapes", Utility.Shape, d);
        // What the solver engines themselves accept (the utility's parameters, the ADMM settings)
        // is checked where they are, by the daemon at load (Sigil.Runtime's PlacementSettings).

        if (PriceScaleBits is < 0 or > Sigil.Language.Model.FixedPointSpec.MaxScaleBits)
        {
            problems.Add($"{where}: price scale of {PriceScaleBits} bits is out of range (0 to {Sigil.Language.Model.FixedPointSpec.MaxScaleBits})");
        }

        if (problems.Count == 0 && !(ThreadsThatFit() > 0))
        {
            problems.Add($"{where}: no domain can hold any part of a thread (every domain has a zero capacity that a thread loads)");
        }

        return problems;
    }

    private static bool Lengths<T>(List<string> problems, string where, string what, IReadOnlyList<T>? values, int domains)
    {
        if (values is null || values.Count != domains)
        {
            problems.Add($"{where}: {what} have {values?.Count ?? 0} value(s) for {domains} domain(s)");
            return false;
        }

        return true;
    }

    private static bool IsName(string? name) =>
        !string.IsNullOrEmpty(name) && name!.Length <= 128 && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '.');

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
