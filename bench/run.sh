#!/bin/sh
# One command for every load benchmark, on a fresh machine too; see bench/run.py --help.
#   bench/run.sh                 create, items, ifmatch, writers, peer, lists (~12 min), updates BENCHMARKS.md
#   bench/run.sh lists           a page of 20 carts or orders vs one cart's GET
#   bench/run.sh create          only Create Cart vs the raw baseline
#   bench/run.sh peer            Create Cart: omnicart vs a Prism mock of the carrier
#   bench/run.sh size --carts 1000000   empty vs loaded PostgreSQL (never part of "all")
#   bench/run.sh items --stores postgresql --no-write
#
# Before running it installs what is missing, and only that (a second run starts at once):
#   bench/.venv          a venv of the bench's own with this tree installed (`pip install -e .`),
#                        so the machine's Python and its editable installs are left alone;
#                        reinstalled when pyproject.toml changes
#   wrk                  from Debian's packages (apt-get; needs root)
#   bench/.prism         Prism 5 from npm, only when the peer family runs
# It needs a PostgreSQL at 127.0.0.1:5432 (BENCH_PG) that it may create databases in.
set -eu
cd "$(dirname "$0")/.."

VENV=bench/.venv
PY=$VENV/bin/python
PRISM_DIR=bench/.prism

as_root() {
    [ "$(id -u)" = 0 ] || { echo "bench/run.sh: $* needs root; install it by hand" >&2; exit 1; }
}

apt_install() {
    as_root "apt-get install $*"
    # An apt list older than the image may not know the package yet.
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# -- the project, in its own venv ------------------------------------------------------
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -x "$PY" ] || [ "$(cat "$VENV/.installed-from" 2>/dev/null)" != "$want" ]; then
    python=${PYTHON:-python3}
    # Debian's own python3 ships venv (ensurepip) as a separate package.
    "$python" -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
    echo "bench/run.sh: installing omnicart into $VENV" >&2
    "$python" -m venv "$VENV"
    "$PY" -m pip install -q --disable-pip-version-check -e .
    echo "$want" > "$VENV/.installed-from"
fi

# -- wrk ---------------------------------------------------------------------------------
command -v wrk >/dev/null || apt_install wrk
command -v taskset >/dev/null || apt_install util-linux

# -- Prism, only for the peer family (it runs with no family named, or when named) --------
families=""
for arg in "$@"; do
    case "$arg" in -*) break ;; *) families="$families $arg" ;; esac
done
case " $families " in
    "  " | *" all "* | *" peer "*)
        if [ ! -x "$PRISM_DIR/node_modules/.bin/prism" ]; then
            command -v npm >/dev/null || apt_install nodejs npm
            echo "bench/run.sh: installing Prism 5 into $PRISM_DIR" >&2
            mkdir -p "$PRISM_DIR"
            npm install --silent --no-audit --no-fund --prefix "$PRISM_DIR" @stoplight/prism-cli@5
        fi
        ;;
esac

exec "$PY" bench/run.py "$@"
