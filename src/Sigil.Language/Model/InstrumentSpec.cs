namespace Sigil.Language.Model;

/// <summary>Where the LLVM pass inserts hook calls.</summary>
public enum InstrumentKind
{
    /// <summary>Before calls to functions whose names match the patterns (<c>calls(open, "read*")</c>).</summary>
    Calls,

    /// <summary>At the entry of functions whose names match the patterns (<c>entries("copy_*")</c>).</summary>
    Entries,
}

/// <summary>What the hook receives at a site.</summary>
public enum HookArgument
{
    /// <summary>A stable id of the site.</summary>
    Site,

    /// <summary>The call's returned value (inserted after the call).</summary>
    Result,

    /// <summary>The call's first argument (a file descriptor for close, write, ...).</summary>
    Fd,
}

/// <summary>The application-level response the hook applies.</summary>
/// <param name="Kind">The response: <c>backoff</c> or <c>refuse</c>.</param>
/// <param name="Arguments">Named arguments (<c>us</c> per unit of price, <c>errno</c>).</param>
public sealed record ResponseSpec(string Kind, EquatableArray<ArgumentSpec> Arguments);

/// <summary>An instrumentation point (<c>instrument calls(write) pass (site, fd) respond backoff(us = 50);</c>). Value-equatable.</summary>
/// <param name="Kind">Calls or entries.</param>
/// <param name="Patterns">Function names or glob patterns (<c>*</c>, <c>?</c>), validated.</param>
/// <param name="Passes">What the hook receives.</param>
/// <param name="Response">The response; null means the hook only reads the price.</param>
/// <param name="Statement">The fibre statement, quoted verbatim.</param>
public sealed record InstrumentSpec(
    InstrumentKind Kind,
    EquatableArray<string> Patterns,
    EquatableArray<HookArgument> Passes,
    ResponseSpec? Response,
    string Statement);
