using System;
using System.IO;
using System.Linq;
using Sigil.Language;
using Sigil.Language.Emit.Coq;
using Sigil.Language.Model;
using Sigil.Runtime.Proofs;
using Xunit.Abstractions;

namespace Sigil.Proofs.Tests;

/// <summary>
/// <c>s_&lt;fibre&gt;_feasible</c> is a statement about the fibre's rows: the point of least load
/// lies within the variables' bounds and meets every row of the instance, with the numbers the
/// fibre gives. An infeasible fibre is refused by the compiler (SIG2006); the same edit made to
/// the model behind the compiler's back makes coqc reject the theorem.
/// </summary>
public sealed class FeasibilityTests
{
    private readonly ITestOutputHelper _output;

    public FeasibilityTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// One ATP budget shared by eight edits read from a table (the shape fibres/atp.sigil had
    /// before it became E. coli core's mass balances): one row with a term per table entry.
    /// </summary>
    private static FibreSpec BudgetFibre()
    {
        const string fibre = """
            fibre atp {
                table edits from "atp.edits.csv" {
                    cost;                   // mol ATP per mol of edit flux
                    weight;                 // benefit weight w_j
                    lo : mmol/gDW/h;
                    hi : mmol/gDW/h;
                }
                index edit from edits;

                param maintenance : mmol/gDW/h = 8.39;
                param eps : mmol/gDW/h = 0.001;

                $flux[edit] : mmol/gDW/h in [lo[edit], hi[edit]];
                @atp : mmol/gDW/h = maintenance;
                ^atp -> map price_atp;

                couple @atp >= sum(j in edit) cost[j] * $flux[j];
                utility $flux[j] ~ weight[j] * log($flux[j] + eps);

                solve dual { rule = fixed; step = auto; tolerance = 1e-9; iterations = 200000; }
                certify lyapunov, step;

                metric atp_price = max(^atp);
            }
            """;
        const string edits = """
            edit,cost,weight,lo,hi
            pfkA_overexpression,1.0,2.0,0.0,6.0
            atpA_knockin,0.5,1.5,0.0,5.0
            ppc_upregulation,1.0,1.2,0.0,4.0
            glnA_amplification,1.0,0.8,0.0,3.0
            purF_derepression,2.0,1.0,0.0,2.5
            trpE_feedback_release,1.5,0.6,0.0,2.0
            lysC_feedback_release,1.0,0.9,0.0,3.0
            acs_overexpression,2.0,0.7,0.0,2.0
            """;
        var result = SigilCompiler.Compile(new SourceFile("/fixtures/atp.sigil", fibre), table => table == "atp.edits.csv" ? edits + "\n" : null);
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    [Fact]
    public void Build_ABudgetOverATable_ListsTheTablesNumbersAndTheBudgetThePriceTheoremsUse()
    {
        var document = CoqEmitter.Build(BudgetFibre());
        string Value(string name) => Assert.Single(document.Definitions, d => d.Name == name).Value;

        // atp.edits.csv: cost 1, 0.5, 1, 1, 2, 1.5, 1, 2; lo 0; hi 6, 5, 4, 3, 2.5, 2, 3, 2;
        // one row against the budget 8.39, by the definition the price theorems use.
        Assert.Equal("[([(1, 1, 0%nat); (1, (1 / 2), 1%nat); (1, 1, 2%nat); (1, 1, 3%nat); (1, 2, 4%nat); (1, (3 / 2), 5%nat); (1, 1, 6%nat); (1, 2, 7%nat)], s_atp_budget_atp)]", Value("s_atp_rows"));
        Assert.Equal("[Some 0; Some 0; Some 0; Some 0; Some 0; Some 0; Some 0; Some 0]", Value("s_atp_lower"));
        Assert.Equal("[Some 6; Some 5; Some 4; Some 3; Some (5 / 2); Some 2; Some 3; Some 2]", Value("s_atp_upper"));
        Assert.Equal("[0; 0; 0; 0; 0; 0; 0; 0]", Value("s_atp_point"));
        Assert.Contains("0 = $flux[pfkA_overexpression], 1 = $flux[atpA_knockin]", Assert.Single(document.Definitions, d => d.Name == "s_atp_lower").Comment);
        var feasible = Assert.Single(document.Theorems, t => t.Name == "s_atp_feasible");
        Assert.Equal("feasible_point s_atp_lower s_atp_upper s_atp_rows s_atp_point", feasible.Statement);
        Assert.DoesNotContain(document.Theorems, t => t.Name.StartsWith("s_atp_feasible_", StringComparison.Ordinal));

        // A table edit reaches the rows: the costs are read, not copied.
        var atp = BudgetFibre();
        var edits = atp.Tables[0];
        var cost = edits.Columns.First(c => c.Name == "cost");
        var doubled = atp with { Tables = EquatableArray.Create(edits with { Columns = edits.Columns.Select(c => c == cost ? c with { Values = c.Values.Select(v => 2 * v).ToEquatableArray() } : c).ToEquatableArray() }) };
        Assert.StartsWith("[([(1, 2, 0%nat); (1, 1, 1%nat);", Assert.Single(CoqEmitter.Build(doubled).Definitions, d => d.Name == "s_atp_rows").Value);
    }

    [Fact]
    public void Compile_DwellWithALowerBoundAboveTheBudget_IsRefusedWithSIG2006AtTheRow()
    {
        var path = Path.Combine(Coq.Repository, "fibres", "dwell.sigil");
        var text = File.ReadAllText(path).Replace("$hold[task] : s in [0, 3600];", "$hold[task] : s in [6, 3600];", StringComparison.Ordinal);
        var result = SigilCompiler.Compile(new SourceFile(path, text), _ => null);
        Assert.Null(result.Spec);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("SIG2006", error.Id);
        Assert.Equal("couple @dwell[t] >= $hold[t];", text.Substring(error.Span.Start, error.Span.Length));
        Assert.Contains("the lower bounds force a load of at least 6, above the budget 5", error.Message);
    }

    [CoqFact]
    public void Report_DwellEditedToBeInfeasibleBehindTheCompiler_RejectsOnlyTheFeasibilityTheorem()
    {
        // The edit the compiler refuses above, made to the model: coqc rejects the theorem.
        var dwell = CompiledFibresTests.Compile("dwell");
        var infeasible = dwell with { Variables = EquatableArray.Create(dwell.Variables[0] with { Lower = ValueSpec.Of(6) }) };
        var result = ProofReport.Run(infeasible, Coq.Options with { CheckAssumptions = false });
        _output.WriteLine(result.Format());
        var rejected = Assert.Single(result.Rows, r => r.Status == ProofStatus.Rejected);
        Assert.Equal("s_dwell_feasible", rejected.Theorem);
        Assert.Null(result.FileError);
    }

    [CoqFact]
    public void Report_ASumOverThreads_CountsTheIndexsCapacity()
    {
        // cache's rows without its placement equality, priced by the dual update: 4096 threads
        // (the capacity) at 8 MiB each against 32 MiB, and at 0.5 cpu each against 1 cpu. At
        // x >= 0.00048 the least cpu load is 0.98 (feasible); at x >= 0.0005 it is 1.02 and the
        // theorem is rejected.
        static FibreSpec Cache(double lower)
        {
            var cache = Fixtures.Cache();
            return cache with
            {
                Variables = EquatableArray.Create(cache.Variables[0] with { Lower = ValueSpec.Of(lower) }, cache.Variables[1]),
                Couplings = cache.Couplings.Where(c => c.Name != "placed").ToEquatableArray(),
                Solver = cache.Solver with { Method = SolverMethod.Dual, Step = 1e-4 },
                Certificates = EquatableArray.Create(CertificateKind.Lyapunov),
            };
        }

        var rows = Assert.Single(CoqEmitter.Build(Cache(0.00048)).Definitions, d => d.Name == "s_cache_rows").Value;
        Assert.Contains("([(4096, 8, 0%nat)], 32)", rows);
        Assert.Contains("([(4096, (1 / 2), 0%nat)], 1)", rows);
        var accepted = ProofReport.Run(Cache(0.00048), Coq.Options with { CheckAssumptions = false });
        _output.WriteLine(accepted.Format());
        Assert.Equal(ProofStatus.Accepted, accepted.Rows.Single(r => r.Theorem == "s_cache_feasible").Status);
        var rejected = ProofReport.Run(Cache(0.0005), Coq.Options with { CheckAssumptions = false });
        _output.WriteLine(rejected.Format());
        Assert.Equal(ProofStatus.Rejected, rejected.Rows.Single(r => r.Theorem == "s_cache_feasible").Status);
    }

    [Fact]
    public void Build_AnEqualityRow_IsANoteNotAFeasibilityTheorem()
    {
        var cache = Fixtures.Cache();
        var dual = cache with { Solver = cache.Solver with { Method = SolverMethod.Dual, Step = 1e-4 }, Certificates = EquatableArray.Create(CertificateKind.Lyapunov) };
        var document = CoqEmitter.Build(dual);
        Assert.DoesNotContain(document.Theorems, t => t.Name == "s_cache_feasible");
        Assert.Contains(document.Notes, n => n.StartsWith("Feasibility: the row placed[thread] is an equality", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_AnInstanceOfMoreThan2000Terms_IsANoteNotAFeasibilityTheorem()
    {
        // atp with 2,001 edits: its one row has 2,001 terms.
        var atp = BudgetFibre();
        const int count = 2001;
        var keys = Enumerable.Range(0, count).Select(i => "edit" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToEquatableArray();
        var edits = atp.Tables[0];
        var large = atp with
        {
            Indices = EquatableArray.Create(atp.Indices[0] with { Capacity = count, Members = keys }),
            Tables = EquatableArray.Create(edits with { Keys = keys, Columns = edits.Columns.Select(c => c with { Values = Enumerable.Repeat(c.Values[0], count).ToEquatableArray() }).ToEquatableArray() }),
        };
        var document = CoqEmitter.Build(large);
        Assert.DoesNotContain(document.Theorems, t => t.Name == "s_atp_feasible");
        Assert.Contains(document.Notes, n => n.StartsWith("Feasibility: the fibre's instance has more than 2000 terms", StringComparison.Ordinal));
        Assert.Contains(CoqEmitter.Build(atp).Theorems, t => t.Name == "s_atp_feasible");
    }
}
