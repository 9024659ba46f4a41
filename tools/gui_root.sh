#!/usr/bin/env bash
# tools/gui_root.sh — build (once) and reuse a Debian root that holds a real GUI Blender as Debian ships it
# plus Xvfb, xdotool and ImageMagick, for the window tests in tests/gui/: trixie (Blender 4.3.2) or sid (5.2.2).
#
# Usage:  tools/gui_root.sh            # build or reuse; prints the root's path on the last stdout line
#         tools/gui_root.sh --rebuild  # throw the cached root away and build it again
#         tools/gui_root.sh --check    # only check; exit 0 if sane, 1 if missing/broken (never builds)
#
# Environment:
#   GOTCHA_GUI_SUITE       Debian suite: trixie (default; Blender 4.3.2, Python 3.13) or sid (Blender 5.2.2,
#                          Python 3.14). This archive's sid copy is frozen (its Release file has expired), so
#                          apt in the sid root is configured not to check Valid-Until.
#   GOTCHA_GUI_ROOT        where the root lives (default $GOTCHA_ROOTS/SUITE-root; keep it outside the
#                          repository)
#   GOTCHA_ROOTS           the folder of every Debian root the tests build (default /var/cache/gotcha-doctor)
#   GOTCHA_DEBIAN_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#
# Exit status: 0 ready, 77 skipped (not root, no debootstrap/chroot possible), 1 build failed.
# Progress and reasons go to stderr; the only stdout line on success is the root's path.
set -euo pipefail

SUITE="${GOTCHA_GUI_SUITE:-trixie}"
case "$SUITE" in trixie|sid) ;; *) echo "gui_root: GOTCHA_GUI_SUITE must be trixie or sid, not '$SUITE'" >&2; exit 2 ;; esac
ROOT="${GOTCHA_GUI_ROOT:-${GOTCHA_ROOTS:-/var/cache/gotcha-doctor}/$SUITE-root}"
MIRROR="${GOTCHA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Blender as Debian ships it: Debian's blender packages do not depend on python3-numpy (official Blender builds
# bundle numpy), so no root has it, and a root built with it earlier loses it (UNWANTED).
PACKAGES=(blender xvfb xauth xdotool imagemagick libgl1-mesa-dri x11-utils fonts-dejavu-core)
UNWANTED=(python3-numpy)
# sid's Blender 5.2.2 ships its extensions add-on (bl_pkg, which installs our zip) importing cattrs and requests
# without depending on them; without these two Blender's own add-on fails to register at every start.
[ "$SUITE" = sid ] && PACKAGES+=(python3-cattr python3-requests)
MODE=build
case "${1:-}" in
  --rebuild) MODE=rebuild ;;
  --check) MODE=check ;;
  "") ;;
  *) echo "usage: $0 [--rebuild|--check]" >&2; exit 2 ;;
esac

log() { echo "gui_root: $*" >&2; }
skip() { echo "gui_root: SKIP: $*" >&2; exit 77; }
# shellcheck source=tools/debian_root.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian_root.sh"

if [ "$(id -u)" -ne 0 ]; then
  skip "not running as root (uid $(id -u)); debootstrap, chroot and mounts need root"
fi
if ! command -v chroot >/dev/null 2>&1; then
  skip "no chroot(8) on this host"
fi

# --- mounts (idempotent, always undone by the trap) ---------------------------------------
MOUNTED=()
mount_into() {  # mount_into DIR
  local dir="$1"
  if ! mountpoint -q "$dir/proc"; then
    mount -t proc proc "$dir/proc"; MOUNTED+=("$dir/proc")
  fi
  if ! mountpoint -q "$dir/dev"; then
    mount --bind /dev "$dir/dev"; MOUNTED+=("$dir/dev")
  fi
}
unmount_all() {
  local i
  for (( i=${#MOUNTED[@]}-1; i>=0; i-- )); do
    umount "${MOUNTED[$i]}" 2>/dev/null || umount -l "${MOUNTED[$i]}" 2>/dev/null || true
  done
  MOUNTED=()
}

trap unmount_all EXIT

# A root is sane when its Blender runs and the X tools we drive are present.
root_is_sane() {
  local dir="$1"
  [ -f "$dir/.gotcha-gui-root-ok" ] && [ -x "$dir/bin/sh" ] || return 1
  # look inside the root: /usr/bin/import etc. are symlinks through the root's /etc/alternatives
  chroot "$dir" /bin/sh -c 'for t in blender Xvfb xdotool import xauth xwininfo; do command -v $t >/dev/null || exit 1; done' \
    2>/dev/null || return 1
  local out rc=0
  mount_into "$dir"   # blender needs /proc (and /dev/null); undone right after
  out="$(chroot "$dir" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root blender --version 2>/dev/null | head -n1)" || rc=1
  unmount_all
  [ "$rc" = 0 ] || return 1
  case "$out" in Blender\ *) return 0 ;; *) return 1 ;; esac
}

if [ "$MODE" = check ]; then
  if root_is_sane "$ROOT"; then echo "$ROOT"; exit 0; fi
  log "no sane root at $ROOT"; exit 1
fi

mkdir -p "$(dirname "$ROOT")"
# One builder at a time (the lead and the tests may call this concurrently).
exec 9>"$(dirname "$ROOT")/.$(basename "$ROOT").lock"
flock 9

apt_in_root() {  # apt_in_root DIR LOGFILE PKG... (mounts must be in place)
  local dir="$1" logf="$2"; shift 2
  cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
  chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive \
    sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $* && apt-get clean" >"$logf" 2>&1
}

if [ "$MODE" = build ] && root_is_sane "$ROOT"; then
  # A package added to PACKAGES since the root was built: install just that (no rebuild).
  missing=()
  for p in "${PACKAGES[@]}"; do
    chroot "$ROOT" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "adding ${missing[*]} to $ROOT"
    trap unmount_all EXIT
    mount_into "$ROOT"
    if ! apt_in_root "$ROOT" "$ROOT.apt.log" "${missing[@]}"; then
      tail -n 20 "$ROOT.apt.log" >&2 || true
      unmount_all
      log "could not add ${missing[*]}; rebuilding"
      MODE=rebuild
    else
      rm -f "$ROOT.apt.log"
      unmount_all
    fi
  fi
  for p in "${UNWANTED[@]}"; do
    if chroot "$ROOT" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      log "removing $p from $ROOT (Debian's Blender does not depend on it)"
      chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        apt-get purge -y -qq --autoremove "$p" >&2 || MODE=rebuild
    fi
  done
  if [ "$MODE" = build ]; then
    log "reusing $ROOT ($(cat "$ROOT/.gotcha-gui-root-ok"))"
    echo "$ROOT"; exit 0
  fi
fi

# --- host: debootstrap -----------------------------------------------------------------------
need_debootstrap "$SUITE"

T0=$(date +%s)
BUILD="$ROOT.build.$$"
cleanup() {
  unmount_all
  if [ -n "${BUILD:-}" ] && [ -d "$BUILD" ]; then
    # never rm -rf through live mounts
    if ! mountpoint -q "$BUILD/proc" && ! mountpoint -q "$BUILD/dev"; then rm -rf --one-file-system "$BUILD"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# leftovers of an interrupted build
for old in "$ROOT".build.*; do
  [ -d "$old" ] || continue
  for m in proc dev; do mountpoint -q "$old/$m" && umount -l "$old/$m" || true; done
  rm -rf --one-file-system "$old"
done

debootstrap_minbase "$SUITE" "$BUILD" "$MIRROR" || exit 1

cp -L /etc/resolv.conf "$BUILD/etc/resolv.conf" 2>/dev/null || true
configure_small_root "$BUILD"
if [ "$SUITE" = sid ]; then
  # the archive's sid copy is frozen: its Release file is past Valid-Until
  echo 'Acquire::Check-Valid-Until "false";' >>"$BUILD/etc/apt/apt.conf.d/01-gotcha"
fi
ln -sf ../proc/self/mounts "$BUILD/etc/mtab"  # Blender asks for the mounted file systems

mount_into "$BUILD"
log "apt-get install ${PACKAGES[*]}"
if ! apt_in_root "$BUILD" "$BUILD.apt.log" "${PACKAGES[@]}"; then
  tail -n 30 "$BUILD.apt.log" >&2 || true
  log "apt-get inside the root failed (log above)"; exit 1
fi
rm -f "$BUILD.apt.log"
unmount_all
mount_into "$BUILD"
chroot "$BUILD" blender --version 2>/dev/null | head -n1 >"$BUILD/.gotcha-gui-root-ok" || true
unmount_all
if ! root_is_sane "$BUILD"; then
  mount_into "$BUILD"
  chroot "$BUILD" blender --version 2>&1 | tail -n 15 >&2 || true
  ls -l "$BUILD/usr/bin/blender" >&2 || true
  unmount_all
  log "freshly built root is not sane (blender --version fails; output above)"; exit 1
fi

# swap in atomically-ish: old root (broken or --rebuild) out, new one in
if [ -e "$ROOT" ]; then
  for m in proc dev; do mountpoint -q "$ROOT/$m" && umount -l "$ROOT/$m" || true; done
  mv "$ROOT" "$ROOT.old.$$"
  rm -rf --one-file-system "$ROOT.old.$$" &
fi
mv "$BUILD" "$ROOT"; BUILD=""
wait
log "built $ROOT in $(( $(date +%s) - T0 )) s: $(cat "$ROOT/.gotcha-gui-root-ok")"
echo "$ROOT"
