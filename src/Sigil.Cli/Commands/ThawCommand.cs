using System;
using System.CommandLine;
using Sigil.Runtime.Enforcement;

namespace Sigil.Cli.Commands;

/// <summary>
/// <c>sigil thaw [agent | cgroup]</c>: thaws an agent a behaviour fibre's daemon froze (the
/// cgroup v2 freezer): its cgroup is unfrozen, its processes move back to the cgroups they were
/// frozen from (the root cgroup where that is gone), the frozen cgroup goes, and so does the
/// sigil.frozen folder once empty. Without an argument, lists the frozen agents and how to thaw each.
/// </summary>
internal static class ThawCommand
{
    public static Command Create()
    {
        var target = new Argument<string?>("agent") { Description = "The frozen agent (its root pid, as the daemon's log and table show it) or the path of its frozen cgroup; none: list the frozen agents.", Arity = ArgumentArity.ZeroOrOne };
        var sysfs = new Option<string?>("--sysfs") { Description = "sysfs mount (default /sys).", Hidden = true };
        var command = new Command("thaw", "Thaw an agent the daemon froze (freeze action), or list the frozen agents.") { target, sysfs };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var root = CgroupFreezer.FindRoot(parse.GetValue(sysfs) ?? "/sys")
                ?? throw new CliException(CliExitCodes.NotAvailable, "no cgroup v2 hierarchy here (cgroup.controllers under /sys/fs/cgroup/unified or /sys/fs/cgroup): nothing can be frozen");
            var freezer = new CgroupFreezer(root);
            if (parse.GetValue(target) is not { } agent)
            {
                var frozen = freezer.List();
                if (frozen.Count == 0)
                {
                    Console.Out.WriteLine("no frozen agent");
                }

                foreach (var f in frozen)
                {
                    Console.Out.WriteLine($"agent {f.Agent} ({f.Fibre}): {(f.Frozen ? "frozen" : "not frozen")} in {f.Cgroup}, processes {string.Join(", ", f.Pids)}; thaw with: {f.ThawCommand}");
                }

                return CliExitCodes.Ok;
            }

            try
            {
                foreach (var thawed in freezer.Thaw(agent))
                {
                    Console.Out.WriteLine($"thawed agent {thawed.Agent} ({thawed.Fibre}): processes {string.Join(", ", thawed.Pids)} moved to {root}");
                }
            }
            catch (ArgumentException e)
            {
                throw new CliException(CliExitCodes.BadInput, e.Message);
            }

            return CliExitCodes.Ok;
        }));
        return command;
    }
}
