#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine with the .NET SDK: system packages and a Release build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is required; see global.json for the version"
apt_install kcat curl chromium espeak-ng sox   # chromium drives the console tests; espeak-ng and sox make the real speech of the audio tests
build_release
