#!/usr/bin/env python3
"""Prints the file-scope C names the generated eBPF C sees from its headers.

A fibre's eBPF map is a file-scope C variable named after the map, so a map name may not be a
name that vmlinux.h (the running kernel's types, from its BTF) or <bpf/bpf_helpers.h> declares:
a typedef (u64), an enum constant (TASK_RUNNING), a helper (bpf_tail_call), a variable or
function, or an object-like macro. BPF map names hold at most 15 characters, so only names that
short are listed. Output: one name per line, sorted, after a comment header; the compiler embeds
it as src/Sigil.Language/Emit/Bpf/HeaderNames.txt and a test (Sigil.Bpf.Tests) re-runs this
script against the running kernel and expects the same text.

Usage: eng/bpf-header-names.py [path to BTF, default /sys/kernel/btf/vmlinux]
"""
import os
import re
import subprocess
import sys
import tempfile

MAX_MAP_NAME = 15
CLANG = os.environ.get("SIGIL_CLANG", "clang-14")


def main():
    btf = sys.argv[1] if len(sys.argv) > 1 else "/sys/kernel/btf/vmlinux"
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "vmlinux.h"), "wb") as out:
            subprocess.run(["bpftool", "btf", "dump", "file", btf, "format", "c"], stdout=out, check=True)
        source = os.path.join(tmp, "names.c")
        with open(source, "w") as out:
            out.write('#include "vmlinux.h"\n#include <bpf/bpf_helpers.h>\n')
        base = [CLANG, "-target", "bpf", "-I", tmp, "-fno-color-diagnostics"]
        names = set()
        # Declarations at file scope (and the constants of file-scope enums), from clang's AST dump.
        dump = subprocess.run(base + ["-fsyntax-only", "-Xclang", "-ast-dump", source], capture_output=True, text=True, check=True).stdout
        decl = re.compile(r"^(?:\|-|`-)(?:TypedefDecl|VarDecl|FunctionDecl) .*?> (?:\S+ )?(?:(?:implicit|used|referenced|invalid) )*([A-Za-z_]\w*) '")
        constant = re.compile(r"^(?:\| |  )(?:\|-|`-)EnumConstantDecl .*?> (?:\S+ )?(?:(?:used|referenced) )*([A-Za-z_]\w*) '")
        for line in dump.splitlines():
            m = decl.match(line) or constant.match(line)
            if m:
                names.add(m.group(1))
        # Object-like macros (a function-like macro expands only before '(', which a map name never is).
        macros = subprocess.run(base + ["-E", "-dM", source], capture_output=True, text=True, check=True).stdout
        for line in macros.splitlines():
            m = re.match(r"^#define ([A-Za-z_]\w*)(?:\s|$)", line)
            if m:
                names.add(m.group(1))
    print("# File-scope C names of vmlinux.h and <bpf/bpf_helpers.h> of at most 15 characters (BPF map names).")
    print("# Made with eng/bpf-header-names.py on the kernel Sigil is developed against; a map name may not be one.")
    for name in sorted(n for n in names if len(n) <= MAX_MAP_NAME):
        print(name)


if __name__ == "__main__":
    main()
