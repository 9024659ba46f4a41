#!/usr/bin/env bash
# tools/py313_root.sh — build (once) and reuse a Debian trixie root with Python 3.13 for the bpy wheels that need it
# (Blender 5.1 and newer), and run commands inside it with the host's directories visible at the same paths.
#
# Usage:  tools/py313_root.sh                 # build or reuse; prints the root's path on the last stdout line
#         tools/py313_root.sh --rebuild       # throw the cached root away and build it again
#         tools/py313_root.sh --check         # only check; exit 0 if sane, 1 if missing/broken (never builds)
#         tools/py313_root.sh run [--bind DIR]... -- COMMAND [ARGS...]
#                                             # build or reuse, then run COMMAND inside the root: the current
#                                             # directory, /tmp and each DIR are bind-mounted at the same path
#
# Environment:
#   GOTCHA_PY313_ROOT      where the root lives (default $GOTCHA_ROOTS/py313-root; keep it outside the repository)
#   GOTCHA_ROOTS           the folder of every Debian root the tests build (default /var/cache/gotcha-doctor)
#   GOTCHA_DEBIAN_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#
# `run` mounts in a private mount namespace (unshare --mount): the mounts exist only for that command and vanish
# with its last process, however it ends (even SIGKILL), and are never visible on the host. The command sees the
# caller's environment; pip inside the root gets the host's CA bundle (PIP_CERT) and resolv.conf.
#
# Exit status: 0 ready (or COMMAND's status), 77 skipped (not root, no debootstrap/chroot/unshare possible),
# 1 build failed. Progress and reasons go to stderr.
set -euo pipefail

ROOT="${GOTCHA_PY313_ROOT:-${GOTCHA_ROOTS:-/var/cache/gotcha-doctor}/py313-root}"
MIRROR="${GOTCHA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=trixie
# Python 3.13 with venv and pip, and the shared libraries `import bpy` loads (the wheel bundles the rest).
PACKAGES=(python3 python3-venv python3-pip ca-certificates
  libgl1 libegl1 libice6 libsm6 libx11-6 libxext6 libxfixes3 libxi6 libxrender1 libxt6t64 libxkbcommon0)
HOST_CA=/etc/ssl/certs/ca-certificates.crt
ROOT_CA=/etc/ssl/certs/gotcha-host-ca.crt

log() { echo "py313_root: $*" >&2; }
skip() { echo "py313_root: SKIP: $*" >&2; exit 77; }
# shellcheck source=tools/debian_root.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian_root.sh"

MODE=build
BINDS=()
case "${1:-}" in
  --rebuild) MODE=rebuild ;;
  --check) MODE=check ;;
  run)
    MODE=run; shift
    while [ $# -gt 0 ]; do
      case "$1" in
        --bind) BINDS+=("$2"); shift 2 ;;
        --) shift; break ;;
        *) echo "usage: $0 run [--bind DIR]... -- COMMAND [ARGS...]" >&2; exit 2 ;;
      esac
    done
    [ $# -gt 0 ] || { echo "usage: $0 run [--bind DIR]... -- COMMAND [ARGS...]" >&2; exit 2; }
    ;;
  "") ;;
  *) echo "usage: $0 [--rebuild|--check|run [--bind DIR]... -- COMMAND...]" >&2; exit 2 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  skip "not running as root (uid $(id -u)); debootstrap, chroot and mounts need root"
fi
for tool in chroot unshare mount; do
  command -v "$tool" >/dev/null 2>&1 || skip "no $tool on this host"
done

root_is_sane() {
  local dir="$1"
  [ -f "$dir/.gotcha-py313-root-ok" ] && [ -x "$dir/usr/bin/python3" ] || return 1
  chroot "$dir" /usr/bin/python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != (3, 13))' \
    2>/dev/null
}

# Runs "$@" inside DIR with proc, dev, sys and the bind list mounted, all in a private mount namespace.
run_in_root() {  # run_in_root DIR CWD COMMAND...
  local dir="$1" cwd="$2"; shift 2
  # Parents first, so a bind under another bind lands on top of it; skip what does not exist on the host.
  local sorted=() d
  while IFS= read -r d; do [ -n "$d" ] && sorted+=("$d"); done < <(
    for d in "${BINDS[@]}"; do [ -d "$d" ] && realpath "$d"; done | sort -u | awk '{ print length, $0 }' | sort -n -s -k1,1 | cut -d' ' -f2-)
  # The host's CA bundle and resolver, refreshed when they changed (atomic rename: runs may overlap).
  mkdir -p "$dir${ROOT_CA%/*}"
  # Blender asks for the mounted file systems
  [ -L "$dir/etc/mtab" ] || ln -sfn ../proc/self/mounts "$dir/etc/mtab"
  if [ -f "$HOST_CA" ] && ! cmp -s "$HOST_CA" "$dir$ROOT_CA"; then
    cp "$HOST_CA" "$dir$ROOT_CA.$$" && mv -f "$dir$ROOT_CA.$$" "$dir$ROOT_CA"
  fi
  if ! cmp -s /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null; then
    cp -L /etc/resolv.conf "$dir/etc/resolv.conf.$$" 2>/dev/null && mv -f "$dir/etc/resolv.conf.$$" "$dir/etc/resolv.conf" || true
  fi
  # shellcheck disable=SC2016
  exec unshare --mount --propagation private /bin/bash -c '
    set -e
    dir="$1"; cwd="$2"; n="$3"; shift 3
    mount -t proc proc "$dir/proc"
    mount --rbind /dev "$dir/dev"
    mount --rbind /sys "$dir/sys"
    for (( i = 0; i < n; i++ )); do
      mkdir -p "$dir$1"; mount --rbind "$1" "$dir$1"; shift
    done
    exec chroot "$dir" /usr/bin/env -C "$cwd" -u PIP_FIND_LINKS PIP_CERT="'"$ROOT_CA"'" \
      SSL_CERT_FILE="'"$ROOT_CA"'" REQUESTS_CA_BUNDLE="'"$ROOT_CA"'" "$@"
  ' bash "$dir" "$cwd" "${#sorted[@]}" "${sorted[@]}" "$@"
}

if [ "$MODE" = check ]; then
  if root_is_sane "$ROOT"; then echo "$ROOT"; exit 0; fi
  log "no sane root at $ROOT"; exit 1
fi

mkdir -p "$(dirname "$ROOT")"
if [ "$MODE" = run ] && root_is_sane "$ROOT"; then
  BINDS+=("$PWD" /tmp)
  run_in_root "$ROOT" "$PWD" "$@"
fi

# One builder at a time (parallel test commands may call this concurrently).
exec 9>"$(dirname "$ROOT")/.$(basename "$ROOT").lock"
flock 9

if [ "$MODE" != rebuild ] && root_is_sane "$ROOT"; then
  if [ "$MODE" = run ]; then
    exec 9>&-
    BINDS+=("$PWD" /tmp)
    run_in_root "$ROOT" "$PWD" "$@"
  fi
  log "reusing $ROOT ($(cat "$ROOT/.gotcha-py313-root-ok"))"
  echo "$ROOT"; exit 0
fi

need_debootstrap "$SUITE"

T0=$(date +%s)
BUILD="$ROOT.build.$$"
# The build mounts only inside `unshare` children, so nothing is mounted here and removal is always safe.
cleanup() { if [ -n "${BUILD:-}" ] && [ -d "$BUILD" ]; then rm -rf --one-file-system "$BUILD"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM
for old in "$ROOT".build.* "$ROOT".old.*; do
  [ -d "$old" ] && rm -rf --one-file-system "$old"
done

debootstrap_minbase "$SUITE" "$BUILD" "$MIRROR" || exit 1
configure_small_root "$BUILD"

log "apt-get install ${PACKAGES[*]}"
if ! ( BINDS=(); run_in_root "$BUILD" / /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
      DEBIAN_FRONTEND=noninteractive sh -c "apt-get update -qq && apt-get install -y -qq ${PACKAGES[*]} && apt-get clean" \
      ) >"$BUILD.apt.log" 2>&1; then
  tail -n 30 "$BUILD.apt.log" >&2 || true
  rm -f "$BUILD.apt.log"
  log "apt-get inside the root failed (log above)"; exit 1
fi
rm -f "$BUILD.apt.log"
chroot "$BUILD" /usr/bin/python3 --version >"$BUILD/.gotcha-py313-root-ok"
root_is_sane "$BUILD" || { log "freshly built root has no working Python 3.13"; exit 1; }

if [ -e "$ROOT" ]; then
  mv "$ROOT" "$ROOT.old.$$"
  rm -rf --one-file-system "$ROOT.old.$$"
fi
mv "$BUILD" "$ROOT"; BUILD=""
log "built $ROOT in $(( $(date +%s) - T0 )) s: $(cat "$ROOT/.gotcha-py313-root-ok")"
if [ "$MODE" = run ]; then
  exec 9>&-
  BINDS+=("$PWD" /tmp)
  run_in_root "$ROOT" "$PWD" "$@"
fi
echo "$ROOT"
