#!/usr/bin/env bash
# Packs what a GPU machine without a package registry and without Node needs into .gpu-carry/ (run it here,
# on a machine with the registry, after `npm ci`): the Node binary, a pruned node_modules (linux-x64 only,
# no tfjs, no type checker) and Debian's Vulkan loader libvulkan.so.1. Add `.gpu-carry/` to .git/info/exclude.
# Then copy the repository, .gpu-carry/ included, to the GPU machine and run scripts/gpu-session.sh there.
set -euo pipefail
cd "$(dirname "$0")/.."
C=.gpu-carry
rm -rf "$C" && mkdir -p "$C"
# Node: the running binary, xz-compressed (gpu-session.sh unpacks it)
xz -T0 -6 -c "$(command -v node)" > "$C/node.xz"
# node_modules, without what the bench and specs never load on Linux x64
tar -C . --exclude='node_modules/@tensorflow' --exclude='node_modules/typescript' --exclude='node_modules/playwright-core' \
  --exclude='node_modules/core-js' --exclude='node_modules/webgpu/dist/darwin-*' --exclude='node_modules/webgpu/dist/win32-*' \
  --exclude='node_modules/webgpu/dist/linux-arm64' -cf - node_modules | xz -T0 -6 > "$C/node_modules.tar.xz"
# The Vulkan loader from Debian's libvulkan1 (the GPU machine's driver ships the ICD, not the loader)
tmp=$(mktemp -d)
(cd "$tmp" && apt-get download libvulkan1 >/dev/null && dpkg-deb -x libvulkan1_*.deb root)
mkdir -p "$C/vulkan" && cp -a "$tmp"/root/usr/lib/*/libvulkan.so.1* "$C/vulkan/"
rm -rf "$tmp"
du -sh "$C"/*
grep -qsx '.gpu-carry/' "$(git rev-parse --git-common-dir)/info/exclude" || echo "note: add '.gpu-carry/' to $(git rev-parse --git-common-dir)/info/exclude"
