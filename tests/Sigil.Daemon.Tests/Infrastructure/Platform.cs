// The daemon, its enforcement and these tests are Linux-only (procfs, cgroups, pidfds, signals).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
