#!/usr/bin/env python3
"""Adds to every entry of test/python-corpus/manifest.json the workspace modules it imports (same repository,
same commit), as an analyser in a real checkout sees them: `context: [{"path", "file"}]`. Context files are
analysed for their definitions and saves only, never scored. Like the corpus files they are local copies
(git-ignored), taken from full git mirrors of the repositories.

    python3 scripts/python-corpus-context.py <mirror-root>     # mirror-root/<owner>+<name>/repo is a git dir

Resolution (the same for every entry, whatever its labels): `import a.b` / `from a.b import c` / relative
imports, looked up next to the file and at the repository root as a/b.py, a/b/__init__.py and a/b/c.py;
followed two levels deep, at most 12 modules per entry."""
import ast, hashlib, json, os, posixpath, subprocess, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "python-corpus")
MAX_DEPTH, MAX_FILES = 2, 12


def show(git, commit, path):
    r = subprocess.run(["git", "--git-dir", git, "show", f"{commit}:{path}"], capture_output=True)
    return r.stdout.decode("utf-8", "replace") if r.returncode == 0 else None


def imported_modules(src):
    try:
        tree = ast.parse(src)
    except (SyntaxError, ValueError):
        return []
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            out += [(0, a.name.split("."), []) for a in n.names]
        elif isinstance(n, ast.ImportFrom):
            out.append((n.level, (n.module or "").split(".") if n.module else [], [a.name for a in n.names]))
    return out


def candidates(path, level, parts, names):
    here = posixpath.dirname(path)
    bases = [here] if level > 0 else [here, ""]
    if level > 1:
        bases = [posixpath.normpath(posixpath.join(here, *[".."] * (level - 1)))]
    for b in bases:
        mod = posixpath.join(b, *parts) if parts else b
        if parts:
            yield mod + ".py"
            yield posixpath.join(mod, "__init__.py")
        for nm in names:
            yield posixpath.join(mod, nm + ".py")


def context_of(git, commit, path, source):
    seen, out, frontier = {path}, [], [(path, source)]
    for _ in range(MAX_DEPTH):
        nxt = []
        for p, src in frontier:
            for level, parts, names in imported_modules(src):
                for c in candidates(p, level, parts, names):
                    c = posixpath.normpath(c).lstrip("/")
                    if c in seen or c.startswith(".."):
                        continue
                    text = show(git, commit, c)
                    if text is None:
                        continue
                    seen.add(c)
                    out.append((c, text))
                    nxt.append((c, text))
                    if len(out) >= MAX_FILES:
                        return out
        frontier = nxt
    return out


def main():
    mirrors = sys.argv[1]
    man_path = os.path.join(ROOT, "manifest.json")
    man = json.load(open(man_path))
    added = 0
    for f in man["files"]:
        git = os.path.join(mirrors, f["repository"].replace("/", "+"), "repo")
        src = open(os.path.join(ROOT, "files", f["file"]), encoding="utf-8").read()
        ctx = []
        for p, text in context_of(git, f["commit"], f["path"].replace(".ipynb", ".py"), src):
            key = hashlib.sha256(f"{f['repository']}/{f['commit']}/{p}".encode()).hexdigest()[:10]
            stem = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in posixpath.splitext(posixpath.basename(p))[0])[:40]
            name = f"{key}__ctx_{stem}.py"
            header = f"# corpus-source: https://github.com/{f['repository']}/blob/{f['commit']}/{p}\n# corpus-licence: {f['licence']}\n# corpus-note: workspace module imported by {f['path']} (context only, not scored)\n"
            with open(os.path.join(ROOT, "files", name), "w", encoding="utf-8") as out:
                out.write(header + text)
            ctx.append({"path": p, "file": name})
        if ctx:
            f["context"] = ctx
            added += len(ctx)
        elif "context" in f:
            del f["context"]
    with open(man_path, "w") as out:
        json.dump(man, out, indent=2, ensure_ascii=False)
        out.write("\n")
    print(f"{added} context modules for {sum(1 for f in man['files'] if f.get('context'))} of {len(man['files'])} entries")


main()
