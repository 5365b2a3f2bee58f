#!/usr/bin/env bash
# Verify every task of the bundled `repair` suite (or only the task ids given as arguments).
#
# For each task:
#   1. task.toml is complete: issue, category, test_command, framework, files, fail_to_pass and
#      at least 3 pass_to_pass ids; every file in `files` exists in repo/ and is not a test.
#   2. fix.patch touches only non-test files listed in `files`, and `git apply --check` succeeds
#      on a pristine copy of repo/.
#   3. repo/ + hidden/ (the buggy code): every fail_to_pass id FAILs or ERRORs, every
#      pass_to_pass id passes.
#   4. repo/ + fix.patch + hidden/: every listed id passes and the whole run succeeds.
#   5. sources parse as Python 3.9; each test run takes under 2 seconds.
# Exits non-zero and names the failing task(s) if any check fails.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${PYTHON:-python3}"
export PYTHONDONTWRITEBYTECODE=1
export PYTHONHASHSEED=0
unset PYTHONPATH

exec "$PY" - "$HERE" "$@" <<'PYEOF'
import ast, os, re, shutil, subprocess, sys, tempfile, time

try:
    import tomllib
except ImportError:  # Python < 3.11
    try:
        import tomli as tomllib
    except ImportError:
        sys.exit("verify.sh needs Python 3.11+ (tomllib) or the tomli package")

suite = sys.argv[1]
only = sys.argv[2:]
RESULT = re.compile(r"\.\.\. (ok|FAIL|ERROR|skipped.*|expected failure|unexpected success)\s*$")
HEAD = re.compile(r"^(\w+) \(([\w.]+)\)")
TEST_COMMAND = "python3 -m unittest -v"


def parse(out):
    """Map unittest ids (module.Class.method) to ok / FAIL / ERROR / skipped from `-v` output."""
    status, pending = {}, None
    for line in out.splitlines():
        m = HEAD.match(line)
        if m:
            meth, where = m.groups()
            pending = where if where.endswith("." + meth) else where + "." + meth
        r = RESULT.search(line)
        if r and pending:
            status[pending] = r.group(1).split()[0]
            pending = None
    return status


def run_tests(d):
    t0 = time.monotonic()
    p = subprocess.run(TEST_COMMAND.split(), cwd=d, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=60,
                       env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    return p.returncode, p.stdout, time.monotonic() - t0


def copy_repo(task_dir, dst, patch=None, hidden=True):
    shutil.copytree(os.path.join(task_dir, "repo"), dst)
    if patch is not None:
        p = subprocess.run(["git", "apply", patch], cwd=dst, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("git apply failed: " + p.stderr.strip())
    if hidden:
        shutil.copytree(os.path.join(task_dir, "hidden"), dst, dirs_exist_ok=True)


def patched_files(patch_text):
    files = set()
    for line in patch_text.splitlines():
        m = re.match(r"^diff --git a/(\S+) b/(\S+)$", line)
        if m:
            files.update(m.groups())
        elif line.startswith(("--- ", "+++ ")):
            path = line[4:].split("\t")[0]
            if path != "/dev/null":
                files.add(re.sub(r"^[ab]/", "", path))
    return files


def is_test_path(path):
    parts = path.split("/")
    return "tests" in parts[:-1] or parts[-1].startswith("test_") or parts[-1] == "conftest.py"


def check(task_dir):
    errs = []
    with open(os.path.join(task_dir, "task.toml"), "rb") as f:
        meta = tomllib.load(f)
    for key in ("issue", "category", "test_command", "framework", "fail_to_pass", "pass_to_pass", "files"):
        if key not in meta:
            errs.append("task.toml lacks " + key)
    if errs:
        return errs
    if meta["test_command"] != TEST_COMMAND:
        errs.append("test_command is not %r" % TEST_COMMAND)
    if meta["framework"] != "unittest":
        errs.append("framework is not unittest")
    f2p, p2p = meta["fail_to_pass"], meta["pass_to_pass"]
    if not f2p:
        errs.append("fail_to_pass is empty")
    if len(p2p) < 3:
        errs.append("fewer than 3 pass_to_pass ids")
    if set(f2p) & set(p2p):
        errs.append("ids in both lists: %s" % sorted(set(f2p) & set(p2p)))
    if len(set(f2p)) != len(f2p) or len(set(p2p)) != len(p2p):
        errs.append("duplicate test ids")
    for f in meta["files"]:
        if not os.path.isfile(os.path.join(task_dir, "repo", f)):
            errs.append("files: %s not in repo/" % f)
        if is_test_path(f):
            errs.append("files: %s is a test file" % f)
    for sub in ("repo", "hidden"):
        if not os.path.isdir(os.path.join(task_dir, sub)):
            errs.append("missing %s/" % sub)
    if errs:
        return errs

    # Python 3.9 syntax
    for root in ("repo", "hidden"):
        for dp, _, fns in os.walk(os.path.join(task_dir, root)):
            for fn in fns:
                if fn.endswith(".py"):
                    path = os.path.join(dp, fn)
                    try:
                        with open(path, encoding="utf-8") as fh:
                            ast.parse(fh.read(), filename=path, feature_version=(3, 9))
                    except SyntaxError as e:
                        errs.append("not Python 3.9 syntax: %s: %s" % (os.path.relpath(path, task_dir), e))

    patch = os.path.join(task_dir, "fix.patch")
    with open(patch, encoding="utf-8") as fh:
        ptext = fh.read()
    touched = patched_files(ptext)
    if not touched:
        errs.append("fix.patch touches no file")
    for f in sorted(touched):
        if is_test_path(f):
            errs.append("fix.patch touches test file %s" % f)
        elif f not in meta["files"]:
            errs.append("fix.patch touches %s, which is not in files" % f)
    if "\r" in ptext:
        errs.append("fix.patch has CR characters")
    changed = sum(1 for l in ptext.splitlines() if l[:1] in "+-" and not l.startswith(("+++", "---")))
    if changed > 30:
        errs.append("fix.patch changes %d lines" % changed)

    with tempfile.TemporaryDirectory() as tmp:
        # git apply --check on a pristine copy
        pristine = os.path.join(tmp, "pristine")
        shutil.copytree(os.path.join(task_dir, "repo"), pristine)
        p = subprocess.run(["git", "apply", "--check", patch], cwd=pristine, capture_output=True, text=True)
        if p.returncode != 0:
            errs.append("git apply --check failed: " + p.stderr.strip())
            return errs

        # before the fix
        before = os.path.join(tmp, "before")
        copy_repo(task_dir, before)
        rc, out, secs = run_tests(before)
        st = parse(out)
        if secs > 2:
            errs.append("tests before the fix took %.1fs" % secs)
        for t in f2p:
            if st.get(t) not in ("FAIL", "ERROR"):
                errs.append("before fix: fail_to_pass %s is %s, expected FAIL/ERROR" % (t, st.get(t, "missing")))
        for t in p2p:
            if st.get(t) != "ok":
                errs.append("before fix: pass_to_pass %s is %s" % (t, st.get(t, "missing")))

        # after the fix
        after = os.path.join(tmp, "after")
        try:
            copy_repo(task_dir, after, patch=patch)
        except RuntimeError as e:
            errs.append(str(e))
            return errs
        rc, out, secs = run_tests(after)
        st = parse(out)
        if secs > 2:
            errs.append("tests after the fix took %.1fs" % secs)
        for t in f2p + p2p:
            if st.get(t) != "ok":
                errs.append("after fix: %s is %s" % (t, st.get(t, "missing")))
        bad = sorted(t for t, s in st.items() if s in ("FAIL", "ERROR"))
        if rc != 0 or bad:
            errs.append("after fix: test run failed (rc=%d): %s\n%s" % (rc, bad, out[-3000:]))
        if not st:
            errs.append("after fix: no test ran")
    return errs


tasks = sorted(d for d in os.listdir(suite)
               if os.path.isfile(os.path.join(suite, d, "task.toml")))
if only:
    missing = [t for t in only if t not in tasks]
    if missing:
        sys.exit("unknown task(s): " + ", ".join(missing))
    tasks = [t for t in tasks if t in only]
if not tasks:
    sys.exit("no tasks found in " + suite)

failed = []
for t in tasks:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", t):
        errs = ["task id is not kebab-case"]
    else:
        try:
            errs = check(os.path.join(suite, t))
        except Exception as e:  # noqa: BLE001 - report and go on
            errs = ["verifier crashed: %r" % e]
    if errs:
        failed.append(t)
        print("FAIL %s" % t)
        for e in errs:
            print("     " + e.replace("\n", "\n     "))
    else:
        print("ok   %s" % t)

# leave no bytecode behind
for dp, dns, fns in os.walk(suite):
    for dn in list(dns):
        if dn == "__pycache__":
            shutil.rmtree(os.path.join(dp, dn))
            dns.remove(dn)
    for fn in fns:
        if fn.endswith((".pyc", ".pyo")):
            os.remove(os.path.join(dp, fn))

print("%d task(s), %d ok, %d failed%s" % (len(tasks), len(tasks) - len(failed), len(failed),
                                        (": " + ", ".join(failed)) if failed else ""))
sys.exit(1 if failed else 0)
PYEOF
