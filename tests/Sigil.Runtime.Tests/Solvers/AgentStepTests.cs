using System;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>The closed-form agent steps against the optimality conditions they must satisfy.</summary>
public sealed class AgentStepTests
{
    private static readonly UtilityKind[] s_kinds = [UtilityKind.Log, UtilityKind.AlphaFair, UtilityKind.AlphaFair, UtilityKind.Quadratic, UtilityKind.Linear];

    private static MixedAgents Agents() => new(
        s_kinds,
        [2.0, 1.5, 3.0, 4.0, 2.5],
        [0.01, 0.02, 0.5, 0, 0],
        [0, 0.5, 2.5, 1.25, 0],
        [0, 0, 0.1, -1, 0],
        [50, 40, 30, 20, 5]);

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.7)]
    [InlineData(2.4)]
    [InlineData(1e3)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Argmax_MaximisesUtilityMinusPayment(double q)
    {
        MixedAgents agents = Agents();
        for (int s = 0; s < agents.Count; s++)
        {
            double x = agents.Argmax(s, q, out double sensitivity);
            Assert.True(x >= agents.Lower(s) && x <= agents.Upper(s));
            Assert.True(sensitivity > 0 && double.IsFinite(sensitivity), $"agent {s}: sensitivity {sensitivity}");
            Assert.Equal(x, agents.Argmax(s, q));
            double best = agents.Utility(s, x) - q * x;

            // No point of a fine grid over the bounds does better.
            double lo = agents.Lower(s);
            double hi = agents.Upper(s);
            for (int i = 0; i <= 4000; i++)
            {
                double z = lo + (hi - lo) * i / 4000;
                Assert.True(agents.Utility(s, z) - q * z <= best + 1e-9 * Math.Max(1, Math.Abs(best)), $"agent {s} ({s_kinds[s]}), q = {q}: x = {x} beaten by {z}");
            }
        }
    }

    [Theory]
    [InlineData(0.3, 0.5)]
    [InlineData(-2.0, 3.0)]
    [InlineData(12.0, 0.01)]
    [InlineData(60.0, 100.0)]
    public void Prox_SatisfiesItsOptimalityCondition(double v, double t)
    {
        MixedAgents agents = Agents();
        for (int s = 0; s < agents.Count; s++)
        {
            double x = agents.Prox(s, v, t);
            double lo = agents.Lower(s);
            double hi = agents.Upper(s);
            Assert.True(x >= lo && x <= hi);

            // U'(x) = (x - v) / t in the interior; the right inequality at a bound.
            double residual = agents.Marginal(s, x) - (x - v) / t;
            double scale = Math.Max(1, Math.Abs(agents.Marginal(s, x)));
            if (x > lo + 1e-12 && x < hi - 1e-12)
            {
                Assert.True(Math.Abs(residual) <= 1e-9 * scale, $"agent {s} ({s_kinds[s]}): residual {residual}");
            }
            else if (x <= lo + 1e-12)
            {
                Assert.True(residual <= 1e-9 * scale, $"agent {s} at lower bound: residual {residual}");
            }
            else
            {
                Assert.True(residual >= -1e-9 * scale, $"agent {s} at upper bound: residual {residual}");
            }
        }
    }

    [Fact]
    public void Families_MatchTheirClosedForms()
    {
        var log = new LogAgents([2.0], [0.5], [0.0], [100.0]);
        Assert.Equal(2.0 / 0.8 - 0.5, log.Argmax(0, 0.8), 12);
        var alpha = new AlphaFairAgents([3.0], [0.1], [2.0], [0.0], [100.0]);
        Assert.Equal(Math.Pow(3.0 / 0.5, 0.5) - 0.1, alpha.Argmax(0, 0.5), 12);
        var quadratic = new QuadraticAgents([5.0], [2.0], [0.0], [double.PositiveInfinity]);
        Assert.Equal((5.0 - 1.0) / 2.0, quadratic.Argmax(0, 1.0), 12);
        quadratic.Argmax(0, 1.0, out double sensitivity);
        Assert.Equal(0.5, sensitivity, 12);
        var linear = new LinearAgents([2.0], [1.0], [4.0]);
        Assert.Equal(4.0, linear.Argmax(0, 1.9));
        Assert.Equal(1.0, linear.Argmax(0, 2.1));
    }

    [Fact]
    public void Constructors_RejectOutOfDomainParameters()
    {
        Assert.Contains("weight", Assert.Throws<ArgumentException>(() => new LogAgents([-1.0], [0.1], [0.0], [1.0])).Message);
        Assert.Contains("lower + eps", Assert.Throws<ArgumentException>(() => new LogAgents([1.0], [0.0], [0.0], [1.0])).Message);
        Assert.Contains("finite upper", Assert.Throws<ArgumentException>(() => new LogAgents([1.0], [0.1], [0.0], [double.PositiveInfinity])).Message);
        Assert.Contains("alpha = 1", Assert.Throws<ArgumentException>(() => new AlphaFairAgents([1.0], [0.1], [1.0], [0.0], [1.0])).Message);
        Assert.Contains("curvature", Assert.Throws<ArgumentException>(() => new QuadraticAgents([1.0], [0.0], [0.0], [1.0])).Message);
        Assert.Contains("bounds", Assert.Throws<ArgumentException>(() => new LinearAgents([1.0], [2.0], [1.0])).Message);
        Assert.Contains("differ in length", Assert.Throws<ArgumentException>(() => new LinearAgents([1.0, 2.0], [0.0], [1.0])).Message);
    }
}
