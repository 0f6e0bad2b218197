using System;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests;

/// <summary>
/// The test assembly's entry point, for child processes the tests start:
/// <c>load-probe &lt;object&gt;</c> opens and loads a BPF object and prints the outcome, so a
/// test can run it without privileges and read the error a user would see.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "load-probe")
        {
            try
            {
                using var obj = BpfObject.Open(args[1]);
                obj.Load();
                Console.WriteLine("loaded");
                return 0;
            }
            catch (BpfException e)
            {
                Console.WriteLine(e.Message.Split('\n')[0]);
                Console.WriteLine("errno " + e.ErrnoName);
                return 3;
            }
        }

        Console.Error.WriteLine("usage: Sigil.Bpf.Tests load-probe <object.bpf.o>");
        return 1;
    }
}
