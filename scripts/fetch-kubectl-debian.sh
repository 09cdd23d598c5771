#!/usr/bin/env bash
# Unpacks Debian's kubectl (package kubernetes-client, 1.20 on Debian 12) into .cache/kubectl-1.20/ so
# the kubectl tests also run against the oldest kubectl users still meet. The system kubectl is never
# touched: the package is downloaded with `apt-get download` and extracted with `dpkg-deb -x`.
# Idempotent: when the binary is already there and runs, it does nothing.
set -euo pipefail

cd "$(dirname "$0")/.."
dest=".cache/kubectl-1.20"
bin="$dest/usr/bin/kubectl"

client_version() {
  "$1" version --client --short 2>/dev/null | sed -n 's/^Client Version: //p'
}

if [ -x "$bin" ] && [ -n "$(client_version "$bin")" ]; then
  echo "kubectl $(client_version "$bin") (Debian) already at $bin"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "no apt-get/dpkg-deb here; the kubectl 1.20 (Debian) tests will not run" >&2
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# apt-get download runs its fetcher as _apt, which must be able to write into the target directory.
chmod 0777 "$tmp"

download() {
  (cd "$tmp" && apt-get download -qq kubernetes-client >/dev/null 2>&1)
}

if ! download; then
  # A fresh machine has no package lists yet; refreshing them needs root.
  if [ "$(id -u)" = 0 ]; then
    echo "apt-get download failed; running apt-get update and trying again"
    apt-get update -qq
    if ! download; then
      echo "apt-get download kubernetes-client failed after apt-get update" >&2
      (cd "$tmp" && apt-get download kubernetes-client) >&2 || true
      exit 1
    fi
  else
    echo "apt-get download kubernetes-client failed (not root, so no apt-get update); skipping" >&2
    exit 0
  fi
fi

deb="$(ls "$tmp"/kubernetes-client_*.deb)"
rm -rf "$dest"
mkdir -p "$dest"
dpkg-deb -x "$deb" "$dest"
echo "unpacked $(basename "$deb") into $dest: kubectl $(client_version "$bin")"
