#!/bin/sh
# One command for every load benchmark; see bench/run.py --help.
#   bench/run.sh                 all families (~5.5 min), updates BENCHMARKS.md
#   bench/run.sh create          only Create Cart vs the raw baseline
#   bench/run.sh items --stores postgresql --no-write
cd "$(dirname "$0")/.." && exec "${PYTHON:-python}" bench/run.py "$@"
