#!/usr/bin/env bash
# Set up Click Assist on a fresh Debian/Ubuntu machine: system packages, a virtual
# environment in .venv, the CPU build of PyTorch, and the project with its extras.
# Safe to run again; it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3-venv xvfb xdotool x11-utils espeak-ng sox at-spi2-core dbus-x11 dbus-daemon
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libegl1 libgl1 libfontconfig1 libdbus-1-3
  pulseaudio pulseaudio-utils libportaudio2 libasound2-plugins
  fonts-dejavu-core fonts-noto-cjk chromium gtk-3-examples imagemagick libjs-bootstrap5 sphinx-doc
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
# torch first and pinned: an unpinned torch pulls several GB of CUDA packages.
python -m pip install -q torch==2.13.0
# silero-vad declares torch: it must come after the CPU build above.
python -m pip install -q -e ".[semantic,app,a11y,speech,test]"
echo "Click Assist is set up in .venv (activate with: . .venv/bin/activate)"
