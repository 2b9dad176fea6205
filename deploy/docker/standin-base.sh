#!/usr/bin/env bash
# Builds a stand-in for the official node:20-bookworm-slim image where no image registry is
# reachable (the test machines here): Debian bookworm from Debian's own mirror
# (debootstrap --variant=minbase) plus this machine's node, npm and Node headers, laid out where the
# official image keeps them (/usr/local/bin/node, /usr/local/lib/node_modules/npm,
# /usr/local/include/node). Prints the image's name; does nothing when it exists already.
#
#   deploy/docker/standin-base.sh            # -> hush-standin-node:20.20.2
#   docker build --build-arg NODE_IMAGE=hush-standin-node:20.20.2 -t hush .
set -euo pipefail

node_bin=$(command -v node)
version=$(node -p 'process.versions.node')
tag="hush-standin-node:${version}"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag"
  exit 0
fi

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
headers=$(dirname "$node_bin")/../include/node
[ -d "$headers" ] || headers=$(npm config get nodedir)/include/node
[ -f "$headers/node.h" ] || { echo "standin-base: Node headers not found (looked in $headers)" >&2; exit 1; }

root=$(mktemp -d /var/tmp/hush-standin.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "standin-base: debootstrap bookworm from $mirror (about 90 s)" >&2
debootstrap --variant=minbase bookworm "$root" "$mirror" >&2
install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules" "$root/usr/local/include"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
cp -a "$headers" "$root/usr/local/include/node"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
# This machine reaches the npm registry through a TLS-intercepting egress proxy whose CA is in its
# own bundle: the stand-in trusts the same bundle (the official image needs nothing of the kind).
ca=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
ca_env=()
if [ -f "$ca" ]; then
  install -D -m 0644 "$ca" "$root/etc/ssl/certs/ca-certificates.crt"
  ca_env=(--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
fi
# As in the official image: a user `node` with uid 1000, and the apt lists dropped.
chroot "$root" /usr/sbin/useradd --uid 1000 --create-home --shell /bin/bash node
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=${version}" \
  --change 'CMD ["node"]' "${ca_env[@]}" \
  - "$tag" >&2
echo "$tag"
