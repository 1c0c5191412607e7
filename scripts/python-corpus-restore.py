#!/usr/bin/env python3
"""Makes the local copies of the Python corpus (test/python-corpus/files/, LICENSES/) from fetched snapshots of its
repositories, as the manifest records them: the corpus file at its commit and path (notebooks exported to `.py`),
its requirements files, and the repository's licence text. The copies are git-ignored (README there); this is how a
fresh checkout gets them back. Then run python-corpus-context.py and python-corpus-disk.ts on the same mirror root.

    python3 scripts/python-corpus-restore.py <mirror-root>   # mirror-root/<owner>+<name>/repo is a git dir

Each corpus file starts with `# corpus-source:` (repository, commit, path) and `# corpus-licence:`; an exported
notebook has a third line, `# corpus-note:`. Label lines count those header lines. A repository whose snapshot is
missing, or lacks the commit or the path, is listed and skipped; the exit code is 1 when anything was skipped."""
import importlib.util, json, os, posixpath, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "test", "python-corpus")
LICENCE_NAMES = {"license", "license.md", "license.txt", "licence", "licence.md", "license.rst", "copying", "copying.md"}
SPACED_BATCHES = {1, 2}
NOTEBOOK_NOTE = "# corpus-note: notebook exported to .py (code cells only; shell/magic lines commented out)\n"

_spec = importlib.util.spec_from_file_location("corpus_context", os.path.join(HERE, "python-corpus-context.py"))
context = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(context)


def licence_text(git, commit, path):
    """The licence nearest to the file at its commit (its folder, then up to the root: a vendored package keeps its
    own), else the repository's newest root licence."""
    for rev, folder in ((commit, posixpath.dirname(path)), ("HEAD", "")):
        found = [p for p in context.tree(git, rev) if posixpath.basename(p).lower() in LICENCE_NAMES]
        while True:
            here = sorted(p for p in found if posixpath.dirname(p) == folder)
            if here:
                return context.show(git, rev, here[0])
            if not folder:
                break
            folder = posixpath.dirname(folder)
    return None


def header(f, licence_file):
    where = f"; full text in test/python-corpus/LICENSES/{licence_file}" if licence_file else ""
    lines = f"# corpus-source: https://github.com/{f['repository']}/blob/{f['commit']}/{f['path']}\n"
    lines += f"# corpus-licence: {f['licence']}{where}\n"
    return lines + (NOTEBOOK_NOTE if f["path"].endswith(".ipynb") else "")


def body(git, f):
    text = context.show(git, f["commit"], f["path"])
    if text is None or not f["path"].endswith(".ipynb"):
        return text
    return spaced_export(text) if f["batch"] in SPACED_BATCHES else context.notebook_to_python(text)


def spaced_export(text):
    """Batches 1 and 2 exported notebooks with each cell's trailing blanks dropped and a blank line between cells;
    later batches as the language server reads notebooks (context.notebook_to_python). Label lines count them."""
    cells = context.notebook_cells(text)
    return None if cells is None else "\n\n".join("\n".join(["# %%", *context.commented(cell.rstrip())]) for cell in cells) + "\n"


def write(name, text):
    folder, base = os.path.split(name)
    if folder not in ("files", "LICENSES") or base != os.path.basename(base) or base.startswith("."):
        raise ValueError(f"{name}: a manifest name must be a plain file name")  # never a write outside the corpus
    with open(os.path.join(ROOT, name), "w", encoding="utf-8") as out:
        out.write(text)


def restore_project_files(git, f):
    """One local copy per entry holds all of its requirements files, one after another."""
    by_copy = {}
    for p in f.get("projectFiles", []):
        by_copy.setdefault(p["file"], []).append(p["path"])
    for copy, paths in by_copy.items():
        texts = [context.show(git, f["commit"], p) for p in paths]
        write(os.path.join("files", copy), "\n".join(t for t in texts if t is not None))


def restore(mirrors, f):
    """Writes the entry's copies; returns why it could not, or None."""
    git = context.git_dir(mirrors, f["repository"])
    if not os.path.isdir(git):
        return "no snapshot"
    text = body(git, f)
    if text is None:
        return f"no {f['path']} at {f['commit']}"
    licence_file = None
    if not f["licence"].startswith("none"):
        licence = licence_text(git, f["commit"], f["path"])
        if licence is not None:
            licence_file = f["repository"].replace("/", "+") + ".txt"
            write(os.path.join("LICENSES", licence_file), licence)
    write(os.path.join("files", f["file"]), header(f, licence_file) + text)
    restore_project_files(git, f)
    return None


def main():
    mirrors = sys.argv[1]
    os.makedirs(os.path.join(ROOT, "files"), exist_ok=True)
    os.makedirs(os.path.join(ROOT, "LICENSES"), exist_ok=True)
    files = json.load(open(os.path.join(ROOT, "manifest.json")))["files"]
    skipped = [(f["file"], why) for f in files if (why := restore(mirrors, f))]
    for name, why in skipped:
        print(f"skipped {name}: {why}")
    print(f"restored {len(files) - len(skipped)} of {len(files)} corpus files")
    sys.exit(1 if skipped else 0)


if __name__ == "__main__":
    main()
