# tools/debian_root.sh — what tools/gui_root.sh and tools/py313_root.sh share to build a Debian root. Sourced by
# them, not run; the script that sources it defines log (a progress line to stderr) and skip (exit 77 with a reason).

# Installs debootstrap on the host when it is missing; skips when that fails or the host's debootstrap does not
# know SUITE.
need_debootstrap() {  # need_debootstrap SUITE
  local suite="$1"
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "debootstrap missing on the host; installing it with apt-get"
    if ! { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2; }; then
      skip "debootstrap is not installed and 'apt-get install debootstrap' failed (no package archive reachable?)"
    fi
  fi
  command -v debootstrap >/dev/null 2>&1 || skip "debootstrap still not available after apt-get install"
  [ -e "/usr/share/debootstrap/scripts/$suite" ] || skip "this host's debootstrap has no script for '$suite'"
}

# A minimal SUITE system in DIR. On failure the end of debootstrap's log goes to stderr and it returns 1; the log
# (DIR.debootstrap.log, beside DIR) is removed either way.
debootstrap_minbase() {  # debootstrap_minbase SUITE DIR MIRROR
  local suite="$1" dir="$2" mirror="$3" started
  started=$(date +%s)
  log "debootstrap --variant=minbase $suite into $dir (mirror $mirror)"
  if ! debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1; then
    tail -n 30 "$dir.debootstrap.log" >&2 || true
    rm -f "$dir.debootstrap.log"
    log "debootstrap failed (log above)"
    return 1
  fi
  rm -f "$dir.debootstrap.log"
  log "debootstrap done in $(( $(date +%s) - started )) s"
}

# Keeps the root small and quiet: no docs, no man pages, no recommended or suggested packages, and package scripts
# never start services inside it (policy-rc.d).
configure_small_root() {  # configure_small_root DIR
  local dir="$1"
  mkdir -p "$dir/etc/dpkg/dpkg.cfg.d" "$dir/etc/apt/apt.conf.d"
  cat >"$dir/etc/dpkg/dpkg.cfg.d/01-gotcha-nodoc" <<'CONF'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
CONF
  cat >"$dir/etc/apt/apt.conf.d/01-gotcha" <<'CONF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
CONF
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod +x "$dir/usr/sbin/policy-rc.d"
}
