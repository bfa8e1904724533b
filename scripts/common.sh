# SPDX-License-Identifier: MIT
# Shared by scripts/demo, scripts/test and scripts/bench: install what is
# missing (Debian packages), then configure and build with CMake.

CND_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CND_PACKAGES="build-essential cmake pkg-config libcurl4-openssl-dev libyajl-dev libpcre2-dev zlib1g-dev python3 ca-certificates"
CND_EXTRA_PACKAGES=${CND_EXTRA_PACKAGES:-}

cnd_install_deps() {
    local missing="" p
    for p in $CND_PACKAGES $CND_EXTRA_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "installing:$missing" >&2
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || { echo "need root or sudo to install:$missing" >&2; return 1; }
        sudo=sudo
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
}

# cnd_build DIR [cmake options...]: configure (once) and build into DIR.
cnd_build() {
    local dir=$1; shift
    cmake -S "$CND_ROOT" -B "$dir" "$@" >/dev/null &&
        cmake --build "$dir" -j"$(nproc)" >/dev/null 2>"$dir.log" ||
        { cat "$dir.log" >&2; echo "build failed in $dir" >&2; return 1; }
}
