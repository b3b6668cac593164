#!/usr/bin/env bash
# Fetches the OpenJDK builds the integration tests run on besides the machine's own (8, 11, 21, 26, 27
# and 28's early access) from Debian's packages, unpacked into a cache of the user's, and prints one line
# per JDK: VERSION JAVA_HOME.
#
#   scripts/fetch-jdks.sh [VERSION...]      default: 8 11 21 26 27 28
#
# How: a private apt configuration (its own sources list, state and cache under the cache directory;
# the system's apt is neither read for packages nor changed) with the mirror the machine's apt already
# uses, read from its configuration; `apt-get download` of the JDK packages of the Debian release that
# has them (11: bullseye, 21: trixie, 8, 26, 27 and 28: sid); `dpkg -x` into the cache; the links Debian's
# packages point into the system's /etc pointed at the unpacked copy instead. Builds from trixie and sid
# need a newer glibc than the machine's: their executables and libraries get a libc6 unpacked beside them
# (trixie's for 8 and 21, sid's for 26 and later, built against it), as ELF interpreter and rpath
# (patchelf, a Debian package, installed if missing). Once per machine: a JDK already unpacked is reused.
set -euo pipefail

cache=${XDG_CACHE_HOME:-$HOME/.cache}/keepalive-agent/jdks
mkdir -p "$cache"
versions=("$@")
[[ ${#versions[@]} -gt 0 ]] || versions=(8 11 21 26 27 28)

release_of() {
  case $1 in
    8 | 26 | 27 | 28) echo sid ;;
    11) echo bullseye ;;
    21) echo trixie ;;
    *) echo "fetch-jdks: no Debian release known for JDK $1 (known: 8, 11, 21, 26, 27, 28)" >&2; return 1 ;;
  esac
}

# The Debian release whose C library a JDK's build runs with (none: the machine's own).
glibc_of() {
  case $1 in
    11) echo none ;;
    8 | 21) echo trixie ;;
    *) echo sid ;;
  esac
}

# The Debian mirror the machine's apt uses: the first URIs:/deb line for the main archive (not security).
mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 !~ /security/ && $2 ~ /debian/ {print $2; exit}')
  [[ -n $uri ]] || uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk '$1 == "deb" && $0 !~ /security/ && $0 ~ /debian/ { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { print $i; exit } }')
  [[ -n $uri ]] || { echo "fetch-jdks: no Debian mirror found in /etc/apt (sources.list or sources.list.d)" >&2; return 1; }
  echo "$uri"
}

apt_private() {
  apt-get -q -o Dir::Etc::SourceList="$cache/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State="$cache/apt/state" -o Dir::Cache="$cache/apt/cache" -o APT::Get::List-Cleanup=0 \
    -o Debug::NoLocking=1 "$@"
}

prepare_apt() {
  [[ -f $cache/apt/updated ]] && return 0
  local uri suite
  uri=$(mirror)
  mkdir -p "$cache/apt/state/lists/partial" "$cache/apt/cache/archives/partial"
  : > "$cache/apt/state/status"
  {
    for suite in bullseye trixie sid; do
      echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main"
    done
  } > "$cache/apt/sources.list"
  apt_private update >&2
  touch "$cache/apt/updated"
}

# Downloads PACKAGE from SUITE into DIR and unpacks it there.
unpack() {
  local package=$1 suite=$2 dir=$3
  local work
  work=$(mktemp -d)
  chmod 755 "$work" # apt downloads as its own user where it can
  (cd "$work" && apt_private download "$package/$suite" >&2)
  for deb in "$work"/*.deb; do
    dpkg -x "$deb" "$dir"
  done
  rm -rf "$work"
}

# Absolute links into /etc (and the like) made relative to the unpacked copy, where it has the target.
relink() {
  local root=$1
  find "$root" -type l | while read -r link; do
    local target
    target=$(readlink "$link")
    if [[ $target == /* && -e $root$target ]]; then
      ln -sfn "$root$target" "$link"
    fi
  done
}

# Gives every ELF executable and library under JAVA_HOME the glibc unpacked in GLIBC.
use_glibc() {
  local home=$1 glibc=$2
  command -v patchelf >/dev/null || { apt-get update -q >&2 && apt-get install -y -q patchelf >&2; }
  local interpreter
  interpreter=$(find "$glibc" -name 'ld-linux-x86-64.so.2' | head -1)
  [[ -n $interpreter ]] || { echo "fetch-jdks: no ld-linux-x86-64.so.2 in $glibc" >&2; return 1; }
  local libdirs="$glibc/usr/lib/x86_64-linux-gnu:$glibc/lib/x86_64-linux-gnu"
  find "$home" -type f \( -path '*/bin/*' -o -name '*.so' -o -name 'jspawnhelper' \) | while read -r file; do
    head -c 4 "$file" | grep -q 'ELF' || continue
    if [[ $file == */bin/* || $file == *jspawnhelper ]]; then
      patchelf --set-interpreter "$interpreter" "$file"
    fi
    local own
    own=$(patchelf --print-rpath "$file")
    patchelf --set-rpath "$libdirs${own:+:$own}" "$file"
  done
}

fetch() {
  local version=$1 suite dir home
  suite=$(release_of "$version")
  dir=$cache/openjdk-$version
  home=$dir/usr/lib/jvm/java-$version-openjdk-amd64
  if [[ ! -x $home/bin/java || ! -f $dir/.complete ]]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    prepare_apt
    unpack "openjdk-$version-jre-headless" "$suite" "$dir"
    unpack "openjdk-$version-jdk-headless" "$suite" "$dir"
    relink "$dir"
    local glibc
    glibc=$(glibc_of "$version")
    if [[ $glibc != none ]]; then
      if [[ ! -f $cache/glibc-$glibc/.complete ]]; then
        rm -rf "$cache/glibc-$glibc"
        mkdir -p "$cache/glibc-$glibc"
        unpack libc6 "$glibc" "$cache/glibc-$glibc"
        touch "$cache/glibc-$glibc/.complete"
      fi
      use_glibc "$home" "$cache/glibc-$glibc"
    fi
    "$home/bin/java" -version >/dev/null 2>&1 || { echo "fetch-jdks: JDK $version was unpacked to $home but does not run:" >&2; "$home/bin/java" -version >&2; return 1; }
    touch "$dir/.complete"
  fi
  echo "$version $home"
}

for version in "${versions[@]}"; do
  fetch "$version"
done
