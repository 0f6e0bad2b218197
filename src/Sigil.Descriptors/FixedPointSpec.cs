namespace Sigil.Language.Model;

/// <summary>
/// The kernel's fixed-point price update, <c>price &lt;- sat([price + step * (load - budget)]+)</c>
/// in integers scaled by 2^<see cref="ScaleBits"/>. One source for the eBPF program, the C# mirror
/// and the Coq proofs. Value-equatable.
/// </summary>
/// <param name="Resource">The resource whose price the kernel keeps.</param>
/// <param name="ScaleBits">Binary digits after the point: a value v is stored as round(v * 2^ScaleBits).</param>
/// <param name="StepFixed">The step gamma, scaled.</param>
/// <param name="BudgetFixed">The budget c, scaled (a constant budget is required in the kernel).</param>
/// <param name="LoadMaxFixed">Input clamp: loads are clamped to [0, LoadMaxFixed] (the variable's upper bound).</param>
/// <param name="PriceMaxFixed">Saturation: prices never exceed this.</param>
/// <param name="NanosecondsPerUnit">Kernel nanoseconds per unit of load (1e9 for seconds).</param>
public sealed record FixedPointSpec(
    string Resource,
    int ScaleBits,
    long StepFixed,
    long BudgetFixed,
    long LoadMaxFixed,
    long PriceMaxFixed,
    long NanosecondsPerUnit)
{
    /// <summary>
    /// The price scale: binary digits after the point of every fixed-point price (the kernel's,
    /// the exported price maps, the shared price page, the LLVM hook), as in the origin.
    /// </summary>
    public const int DefaultScaleBits = 20;

    /// <summary>The most fraction bits bpf/sigil_fixed.h supports.</summary>
    public const int MaxScaleBits = 32;

    /// <summary>The largest nanoseconds-per-unit bpf/sigil_fixed.h supports.</summary>
    public const long MaxNanosecondsPerUnit = 1L << 32;

    /// <summary>
    /// The period of the kernel's hold timer, in nanoseconds: every span a fibre prices in the
    /// kernel that is still open is charged the time it has been held beyond the budget at least
    /// this often, so a file that is never closed still raises its holder's price. The eBPF
    /// program's tunable <c>fx_tick_ns</c> and the Coq detection-in-time theorems use this number.
    /// </summary>
    public const long HoldTickNanoseconds = 250_000_000;
}
