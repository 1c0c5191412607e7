#!/usr/bin/env python3
"""Adds to every entry of test/python-corpus/manifest.json the workspace modules it imports (same repository,
same commit), as an analyser in a real checkout sees them: `context: [{"path", "file"}]`. Context files are
analysed for their definitions and saves only, never scored. Like the corpus files they are local copies
(git-ignored), taken from full git mirrors of the repositories.

    python3 scripts/python-corpus-context.py <mirror-root> [--batch N]   # mirror-root/<owner>+<name>/repo is a git dir
                                                                         # --batch: only that batch's entries

Resolution (the same for every entry, whatever its labels): `import a.b` / `from a.b import c` / relative
imports, looked up next to the file and at the repository root as a/b.py, a/b/__init__.py, a/b/c.py and
a/b/c/__init__.py, then,
as the server's index resolves a module, any file of the commit whose path ends in a/b (a src/ layout), nearest
first; followed six levels deep, at most 150 modules per entry.

Then the repository's saving scripts, as the language server's workspace index (src/server/python-index.ts)
sees them: every `.py` file (up to 256 KB) and notebook (up to 8 MB; exported like the corpus notebooks) at
the same commit outside hidden, virtual-environment, site-packages and build folders, at most 10 folders
deep, that mentions keras or tensorflow and saves a model (`.save(`, `save_model(`, `ModelCheckpoint(`,
`.export(`); nearest to the entry first, at most 20, each with its own imports (six levels, at most 30)."""
import ast, hashlib, json, os, posixpath, subprocess, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "python-corpus")
MAX_DEPTH, MAX_FILES = 6, 150
MAX_SAVERS, MAX_SAVER_IMPORTS, MAX_DIRS = 20, 30, 10
MAX_BYTES = {".py": 256 * 1024, ".ipynb": 8 * 1024 * 1024}
EXCLUDED = {"node_modules", "__pycache__", "venv", "site-packages", "dist-packages", "build", "dist", "wandb", "mlruns"}
SAVES = r"\.save\(|save_model\(|ModelCheckpoint\(|\.export\("


_trees, _texts = {}, {}


def git_dir(mirrors, repository):
    """A snapshot's git directory: mirror-root/<owner>+<name>/repo, or its .git when the snapshot has a work tree."""
    repo = os.path.join(mirrors, repository.replace("/", "+"), "repo")
    return os.path.join(repo, ".git") if os.path.isdir(os.path.join(repo, ".git")) else repo


def tree(git, commit):
    """The paths of the commit's files (listed once per commit); empty when the snapshot lacks the commit."""
    if (git, commit) not in _trees:
        r = subprocess.run(["git", "--git-dir", git, "ls-tree", "-r", "-z", "--name-only", commit], capture_output=True)
        _trees[(git, commit)] = set(r.stdout.decode("utf-8", "replace").split("\0")) if r.returncode == 0 else set()
    return _trees[(git, commit)]


def show(git, commit, path):
    """The file's text at `commit`, or None when the commit has no such file."""
    if path not in tree(git, commit):
        return None
    if (git, commit, path) not in _texts:
        r = subprocess.run(["git", "--git-dir", git, "show", f"{commit}:{path}"], capture_output=True)
        _texts[(git, commit, path)] = r.stdout.decode("utf-8", "replace") if r.returncode == 0 else None
    return _texts[(git, commit, path)]


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


def candidates(git, commit, path, level, parts, names):
    here = posixpath.dirname(path)
    bases = [here] if level > 0 else [here, ""]
    if level > 1:
        bases = [posixpath.normpath(posixpath.join(here, *[".."] * (level - 1)))]
    for b in bases:
        mod = posixpath.join(b, *parts) if parts else b
        if parts:
            yield mod + ".py"
            yield posixpath.join(mod, "__init__.py")
        for nm in names:  # `from . import zoo`: a module or a subpackage
            yield posixpath.join(mod, nm + ".py")
            yield posixpath.join(mod, nm, "__init__.py")
    if level == 0 and parts:
        # as the server's index resolves a module (context.ts moduleOf): any file of the workspace whose path ends
        # in the dotted name (a src/ layout, a package below the root), nearest first
        for p in nearest(path, suffixed(git, commit).get("/".join(parts), [])):
            yield p
            if p.endswith("/__init__.py"):
                yield from (posixpath.join(posixpath.dirname(p), nm + ".py") for nm in names)


_suffixes = {}


def suffixed(git, commit):
    """Module files of the commit by every trailing dotted name they answer to (`a/b/c.py`: c, b/c, a/b/c)."""
    if (git, commit) not in _suffixes:
        index = {}
        for p in tree(git, commit):
            if not p.endswith(".py"):
                continue
            parts = p[:-3].split("/")
            if parts[-1] == "__init__":
                parts = parts[:-1]
            for i in range(len(parts)):
                index.setdefault("/".join(parts[i:]), []).append(p)
        _suffixes[(git, commit)] = index
    return _suffixes[(git, commit)]


def notebook_cells(text):
    """A notebook's code cells' sources; None when it is not a notebook."""
    try:
        nb = json.loads(text)
    except ValueError:
        return None
    if not isinstance(nb, dict):
        return None
    cells = nb.get("cells") or [c for ws in nb.get("worksheets", []) for c in ws.get("cells", [])]
    out = []
    for c in cells:
        if not isinstance(c, dict) or c.get("cell_type") != "code":
            continue
        src = c.get("source") or c.get("input") or []
        cell = "".join(x for x in src if isinstance(x, str)) if isinstance(src, list) else src
        out.append(cell)
    return out


def commented(cell):
    """A cell's lines, shell (!) and magic (%) lines commented out."""
    return ["# " + line if line.lstrip().startswith(("!", "%")) else line for line in cell.split("\n")]


def notebook_to_python(text):
    """'# %%' before each code cell: what src/server/python/notebook.ts reads (the context files' export)."""
    cells = notebook_cells(text)
    return None if cells is None else "\n".join(line for cell in cells for line in ["# %%", *commented(cell)]) + "\n"


def git_grep(git, commit, pattern):
    r = subprocess.run(["git", "--git-dir", git, "grep", "-l", "-E", pattern, commit, "--", "*.py", "*.ipynb"], capture_output=True)
    return {line.split(":", 1)[1] for line in r.stdout.decode("utf-8", "replace").splitlines() if ":" in line}


_savers = {}


def savers_of(git, commit):
    """The repository's indexable saving scripts at `commit` (cached per repository and commit)."""
    if (git, commit) not in _savers:
        found = git_grep(git, commit, SAVES) & git_grep(git, commit, "keras|tensorflow")
        ok = []
        for p in sorted(found):
            dirs = p.split("/")[:-1]
            if len(dirs) > MAX_DIRS or any(d.startswith(".") or d in EXCLUDED for d in dirs):
                continue
            size = subprocess.run(["git", "--git-dir", git, "cat-file", "-s", f"{commit}:{p}"], capture_output=True).stdout
            if size.strip() and int(size) <= MAX_BYTES[posixpath.splitext(p)[1]]:
                ok.append(p)
        _savers[(git, commit)] = ok
    return _savers[(git, commit)]


def nearest(path, paths):
    """`paths` ordered by how many leading folders they share with `path` (most first), then by name."""
    mine = path.split("/")[:-1]
    def shared(p):
        n = 0
        for a, b in zip(mine, p.split("/")[:-1]):
            if a != b:
                break
            n += 1
        return -n
    return sorted(paths, key=lambda p: (shared(p), p))


def workspace_of(git, commit, path, source):
    """The entry's imports, then the nearest saving scripts with their imports."""
    out = context_of(git, commit, path, source)
    seen = {path} | {p for p, _ in out}
    for s in nearest(path, savers_of(git, commit))[:MAX_SAVERS]:
        if s in seen:
            continue
        text = show(git, commit, s)
        if text is not None and s.endswith(".ipynb"):
            text = notebook_to_python(text)
        if text is None:
            continue
        seen.add(s)
        out.append((s, text))
        for p, t in context_of(git, commit, s, text, MAX_SAVER_IMPORTS):
            if p not in seen:
                seen.add(p)
                out.append((p, t))
    return out


def context_of(git, commit, path, source, max_files=MAX_FILES):
    seen, out, frontier = {path}, [], [(path, source)]
    for _ in range(MAX_DEPTH):
        nxt = []
        for p, src in frontier:
            for level, parts, names in imported_modules(src):
                for c in candidates(git, commit, p, level, parts, names):
                    c = posixpath.normpath(c).lstrip("/")
                    if c in seen or c.startswith(".."):
                        continue
                    text = show(git, commit, c)
                    if text is None:
                        continue
                    seen.add(c)
                    out.append((c, text))
                    nxt.append((c, text))
                    if len(out) >= max_files:
                        return out
        frontier = nxt
    return out


def main():
    mirrors = sys.argv[1]
    only = int(sys.argv[sys.argv.index("--batch") + 1]) if "--batch" in sys.argv else None
    man_path = os.path.join(ROOT, "manifest.json")
    man = json.load(open(man_path))
    added = 0
    for f in man["files"]:
        if only is not None and f.get("batch") != only:
            continue
        git = git_dir(mirrors, f["repository"])
        local = os.path.join(ROOT, "files", f["file"])
        if not os.path.exists(local):  # not restored (python-corpus-restore.py): its entry stays as it is
            continue
        src = open(local, encoding="utf-8").read()
        ctx = []
        for p, text in workspace_of(git, f["commit"], f["path"].replace(".ipynb", ".py"), src):
            key = hashlib.sha256(f"{f['repository']}/{f['commit']}/{p}".encode()).hexdigest()[:10]
            stem = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in posixpath.splitext(posixpath.basename(p))[0])[:40]
            name = f"{key}__ctx_{stem}.py"
            header = f"# corpus-source: https://github.com/{f['repository']}/blob/{f['commit']}/{p}\n# corpus-licence: {f['licence']}\n# corpus-note: workspace file of {f['path']} (imported by it, or a saving script; context only, not scored)\n"
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


if __name__ == "__main__":
    main()
