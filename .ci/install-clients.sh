#!/usr/bin/env bash
# System packages for testing against real clients:
# build tools and headers for code-server's native modules, ripgrep (code-server's search),
# Chromium (drives VS Code's web UI headless), Neovim (a second LSP client), librsvg2-bin (icon),
# R (reads the CSV exports as researchers will).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(build-essential python3 libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium neovim librsvg2-bin r-base-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}"
fi
