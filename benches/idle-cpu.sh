#!/usr/bin/env bash
# How much CPU an open, idle pathway uses: runs the release binary in tmux for SECONDS (default
# 60) without touching it, and reads its user+system time from /proc/PID/stat before and after.
#   bash benches/idle-cpu.sh [SECONDS]
set -eu
seconds=${1:-60}
top=$(git rev-parse --show-toplevel)
cargo build --release --quiet --manifest-path "$top/Cargo.toml"
cfg=$(mktemp -d)
session=idle$$
tmux new-session -d -s "$session" -x 120 -y 40 "env XDG_CONFIG_HOME=$cfg $top/target/release/pathway"
trap 'tmux kill-session -t $session 2>/dev/null; rm -rf "$cfg"' EXIT
sleep 2
pid=$(pgrep -n -f "$top/target/release/pathway")
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
before=$(ticks "$pid")
sleep "$seconds"
after=$(ticks "$pid")
hz=$(getconf CLK_TCK)
used=$((after - before))
echo "idle for ${seconds}s: ${used} clock ticks of CPU (1 tick = 1/${hz} s)"
awk -v t="$used" -v hz="$hz" -v s="$seconds" 'BEGIN { printf "= %.3f%% of one core\n", 100 * t / hz / s }'
