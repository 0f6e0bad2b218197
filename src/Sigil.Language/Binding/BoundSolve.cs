using System.Collections.Generic;
using Sigil.Language.Model;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

/// <summary>The solve statement, before <c>step = auto</c> is resolved by the analyses.</summary>
internal sealed record BoundSolve(
    SolverMethod Method,
    double? Step,
    double Rho,
    double Mu,
    double AbsoluteTolerance,
    double RelativeTolerance,
    int MaxIterations,
    bool Online,
    double? PriceMax,
    string Statement,
    TextSpan Span,
    TextSpan StepSpan,
    double FeasibilityTolerance,
    SolverRule Rule);
