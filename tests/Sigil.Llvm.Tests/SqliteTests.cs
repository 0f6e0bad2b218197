using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

using Sigil.Runtime.Instrumentation;

namespace Sigil.Llvm.Tests;

/// <summary>
/// SQLite, a real program, built from its amalgamation with the dwell fibre's pass: its unix VFS
/// calls write and pwrite through a table of function pointers (aSyscall), so its writes reach the
/// hook only through the pass's wrappers. eng/setup.sh puts the amalgamation in .tools/sqlite.
/// </summary>
[Collection(LlvmCollection.Name)]
public sealed class SqliteTests
{
    private const string Driver = """
        #include <stdio.h>
        #include "sqlite3.h"

        static int print_row(void *unused, int n, char **values, char **names)
        {
            (void)unused;
            (void)names;
            for (int i = 0; i < n; i++)
                printf("%s%s", i ? " " : "", values[i] ? values[i] : "NULL");
            putchar('\n');
            return 0;
        }

        /* Writes 2,000 rows in one transaction, then reads them back from a second connection. */
        int main(int argc, char **argv)
        {
            sqlite3 *db;
            char *error = NULL;
            if (argc < 2 || sqlite3_open(argv[1], &db) != SQLITE_OK)
                return 1;
            if (sqlite3_exec(db,
                    "PRAGMA journal_mode=DELETE;"
                    "CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT NOT NULL);"
                    "BEGIN;"
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                    " INSERT INTO t SELECT i, printf('row %05d', i) FROM n;"
                    "COMMIT;",
                    NULL, NULL, &error) != SQLITE_OK) {
                fprintf(stderr, "write: %s\n", error);
                return 2;
            }
            sqlite3_close(db);
            if (sqlite3_open(argv[1], &db) != SQLITE_OK)
                return 3;
            if (sqlite3_exec(db, "SELECT count(*), sum(k), max(v) FROM t;", print_row, NULL, &error) != SQLITE_OK) {
                fprintf(stderr, "read: %s\n", error);
                return 4;
            }
            return sqlite3_close(db) == SQLITE_OK ? 0 : 5;
        }
        """;

    private readonly LlvmFixture _fixture;

    public SqliteTests(LlvmFixture fixture) => _fixture = fixture;

    private static string Amalgamation => Path.Combine(Toolchain.RepoRoot, ".tools", "sqlite");

    [BpfFact]
    public void Sqlite_FromItsAmalgamation_WritesThroughTheHookAndRoundTripsSql()
    {
        Assert.True(File.Exists(Path.Combine(Amalgamation, "sqlite3.c")), "SQLite's amalgamation is not in .tools/sqlite: run eng/setup.sh");
        var dwell = _fixture.Dwell;
        var folder = Path.Combine(dwell.Root, "sqlite");
        Directory.CreateDirectory(folder);
        var driver = Path.Combine(folder, "driver.c");
        File.WriteAllText(driver, Driver);
        var sites = Path.Combine(folder, "sites.txt");
        File.Delete(sites);
        var environment = new Dictionary<string, string> { ["SIGIL_DWELL_SITES"] = sites };

        // -O0 keeps the amalgamation's compile to seconds (at -O1 it takes about 40 s of CPU); the pass
        // runs at every level, and the function-pointer test covers -O2.
        var library = Path.Combine(folder, "sqlite3.o");
        var compile = Toolchain.RunChecked(
            Toolchain.Clang,
            ["-O0", "-fpass-plugin=" + dwell.Plugin, "-DSQLITE_THREADSAFE=0", "-DSQLITE_OMIT_LOAD_EXTENSION", "-c", Path.Combine(Amalgamation, "sqlite3.c"), "-o", library],
            environment: environment);
        var program = Path.Combine(folder, "driver");
        Toolchain.RunChecked(Toolchain.Clang, ["-O2", "-Wall", "-Werror", "-I" + Amalgamation, driver, library, "-o", program, "-pthread", "-lm", dwell.HookArchive]);

        // The VFS's write and pwrite64 entries are wrapped (SQLite builds with large files, so its
        // pwrite is glibc's pwrite64, which the fibre's 'pwrite' pattern matches). The compile says
        // nothing; the program (the amalgamation and the driver, which the pass did not compile)
        // summarises in one line.
        var keys = File.ReadAllLines(sites).Select(static l => l.Split('\t')[1]).Order(StringComparer.Ordinal);
        Assert.Equal(["__sigil_dwell_via_pointer_pwrite64/pwrite64#0", "__sigil_dwell_via_pointer_write/write#0"], keys);
        Assert.DoesNotContain("sigil-dwell:", compile.Stderr, StringComparison.Ordinal);
        Assert.Equal(
            $"sigil-dwell: {program}: 2 site(s) in 1 of 1 translation unit(s), 2 function(s) wrapped for calls through pointers",
            Assert.Single(InstrumentationSummary.Read(program)).Line(program));

        // Priced at one unit, every write backs off and still lands: the database reads back whole,
        // from this program and from an independent reader (Python's sqlite3 module).
        var database = Path.Combine(folder, "round-trip.db");
        File.Delete(database);
        using var map = new PriceMap("price_dwell");
        var run = PricedRun.Run(
            program,
            [database],
            dwell.HookEnvironment(map: map.Path),
            pid => map.Set(pid, 1UL << 20));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("2000 2001000 row 02000\n", run.Stdout);
        var stats = HookStats.Parse("sigil-dwell", run.Stderr);
        Assert.Equal("map", stats.Source);
        Assert.True(stats.Updates >= 3, run.Stderr);
        Assert.True(stats.Backoffs >= 1, run.Stderr);

        var check = Toolchain.RunChecked("python3", ["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute('PRAGMA integrity_check').fetchone()[0], *c.execute('SELECT count(*), sum(length(v)) FROM t').fetchone())", database]);
        Assert.Equal("ok 2000 18000\n", check.Stdout);
    }
}
