namespace Sigil.Descriptors.Hooks;

/// <summary>
/// Where the shared price pages live, as the LLVM hook opens them and the daemon writes them:
/// <c>/run/sigil/&lt;fibre&gt;.prices</c>.
/// </summary>
public static class PricePages
{
    /// <summary>
    /// The folder of the shared price pages: the daemon's runtime folder, root's and writable by
    /// no one else (a world-writable folder such as /dev/shm would let any user plant a page).
    /// </summary>
    public const string Folder = "/run/sigil";

    /// <summary>The extension of a price page's file name.</summary>
    public const string Extension = ".prices";
}
