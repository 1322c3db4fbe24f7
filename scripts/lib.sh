# Shared helpers for the project's scripts. Source it; it sets REPO and EMOTION_HOME.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export EMOTION_HOME="${EMOTION_HOME:-$REPO/.local}"
mkdir -p "$EMOTION_HOME"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# apt_install PKG...: installs the Debian packages that are missing (root, or sudo when available).
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y -qq "${missing[@]}" >"$EMOTION_HOME/apt.log" 2>&1; then
    $sudo apt-get update -qq >>"$EMOTION_HOME/apt.log" 2>&1 || true
    $sudo apt-get install -y -qq "${missing[@]}" >>"$EMOTION_HOME/apt.log" 2>&1 \
      || die "apt-get install ${missing[*]} failed; see $EMOTION_HOME/apt.log"
  fi
}

# build_release: builds the emotion command (Release) when a source is newer than the binary (files generated under
# bin/ and obj/, e.g. by a Debug test build, are not sources).
EMOTION_DLL="$REPO/src/Host/bin/Release/net10.0/emotion.dll"
build_release() {
  if [ ! -f "$EMOTION_DLL" ] || [ -n "$(find "$REPO/src" "$REPO/Directory.Build.props" "$REPO/Directory.Packages.props" \
        \( -name bin -o -name obj \) -prune -o \
        \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.sql' \) -newer "$EMOTION_DLL" -print -quit)" ]; then
    log "building the emotion command (Release)"
    dotnet build "$REPO/src/Host/Emotion.Host.csproj" -c Release -nologo -v q -clp:ErrorsOnly >&2 \
      || die "build failed"
  fi
}

emotion() { dotnet "$EMOTION_DLL" "$@"; }
