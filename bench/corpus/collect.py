"""Collects SavedModels from a folder of bare git mirrors (MIRRORS/<owner>+<name>/..., as the search tool's fetch writes them) into a
corpus directory and writes the manifest (repository, commit, path, blob sha, size). Deduplicates by the
saved_model.pb blob, keeps at most PER_REPO models per repository; skips Git LFS pointers and directories without their variables.
Usage: python3 bench/corpus/collect.py MIRRORS OUTDIR > bench/corpus/manifest.json"""
import json, os, subprocess, sys

mirrors, out = sys.argv[1], sys.argv[2]
# A repository with dozens of checkpoints of one network (TetrisDQN agents) would dominate the corpus.
PER_REPO = 6


def git(gd, *args, binary=False):
    r = subprocess.run(["git", "--git-dir", gd, *args], capture_output=True)
    return r.stdout if binary else r.stdout.decode(errors="replace")


models, seen = [], set()
for name in sorted(os.listdir(mirrors)):
    gd = os.path.join(mirrors, name, "repo")
    if os.path.isdir(os.path.join(gd, ".git")):
        gd = os.path.join(gd, ".git")
    if not os.path.isdir(gd) or "+" not in name:
        continue
    repo = name.replace("+", "/", 1)
    commits = git(gd, "log", "--all", "--format=%H", "--", "*saved_model.pb").split()
    done = set()
    for commit in commits:
        for line in git(gd, "ls-tree", "-r", "-l", commit).splitlines():
            meta, path = line.split("\t", 1)
            if not path.endswith("saved_model.pb") or path in done:
                continue
            done.add(path)
            _, kind, blob, size = meta.split()
            if not size.isdigit() or int(size) < 200 and git(gd, "cat-file", "-p", blob).startswith("version https://git-lfs"):
                continue
            if blob in seen or sum(1 for m in models if m["repository"] == repo) >= PER_REPO:
                continue
            seen.add(blob)
            d = os.path.dirname(path)
            slug = (repo.replace("/", "__") + ("__" + d.replace("/", "_") if d else ""))[:150]
            dest = os.path.join(out, slug)
            missing = []
            for entry in git(gd, "ls-tree", "-r", "-l", commit, "--", d or ".").splitlines():
                emeta, epath = entry.split("\t", 1)
                rel = os.path.relpath(epath, d or ".")
                if not (rel in ("saved_model.pb", "fingerprint.pb", "keras_metadata.pb") or rel.startswith(("variables/", "assets/"))):
                    continue
                data = git(gd, "cat-file", "-p", emeta.split()[2], binary=True)
                if not data or data.startswith(b"version https://git-lfs"):
                    missing.append(rel)  # absent from the mirror (large) or stored in LFS
                    continue
                target = os.path.join(dest, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                open(target, "wb").write(data)
            if not os.path.exists(os.path.join(dest, "saved_model.pb")):
                continue
            total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(dest) for f in fs)
            models.append({"id": slug, "repository": repo, "commit": commit, "path": d or ".", "saved_model_blob": blob, "bytes": total, **({"missing_files": missing} if missing else {}), **({} if os.path.exists(os.path.join(dest, "variables", "variables.index")) else {"no_variables": True})})
print(json.dumps({"generator": "bench/corpus/collect.py", "models": models}, indent=1))
