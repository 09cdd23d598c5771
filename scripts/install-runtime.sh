#!/usr/bin/env bash
# Installs the container runtime pieces the kubelet uses, from Debian's packages, when missing:
# containerd + runc (CRI), the CNI plugins, iptables, busybox-static (to build the local images) and
# docker.io (the second runtime). Needs root; a second run installs nothing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" != 0 ]; then
  echo "install-runtime: not root, nothing installed (the kubelet tests will be skipped)" >&2
  exit 0
fi

missing=()
command -v containerd >/dev/null 2>&1 || missing+=(containerd)
command -v runc >/dev/null 2>&1 || missing+=(runc)
[ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx httpd || missing+=(busybox-static)
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-runtime: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-runtime: containerd, runc, CNI plugins, iptables, busybox-static and docker.io present"
fi
