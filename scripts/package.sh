#!/usr/bin/env bash
# Release artifacts, in dist/:
#   revgraph-<version>-linux-<arch>.tar.gz   bin/revgraph, lib/revgraph/*.so (what the binary needs
#                                            beyond glibc and libstdc++), completions, man page,
#                                            LICENSE, README.md, CHANGELOG.md
#   revgraph-<version>-py3-none-manylinux_<glibc>_<arch>.whl
#                                            the same binary and libraries; `pip install` puts
#                                            revgraph on PATH
# and the sha256 of each. The Swift runtime is linked statically; the C libraries are carried
# beside the binary and found through its RPATH ($ORIGIN/../lib/revgraph), so neither the Swift
# toolchain nor any -dev package is needed where it runs.
#   bash scripts/package.sh             build the artifacts of the checked-out commit
#   bash scripts/package.sh --release   the same from a clean tree, then tag v<version> (annotated)
set -euo pipefail
cd "$(dirname "$0")/.."
RELEASE=0
[ "${1:-}" = "--release" ] && RELEASE=1

VERSION=$(sed -n 's/^ *static let version = "\(.*\)"$/\1/p' Sources/revgraph/Support/BuildInfo.swift)
[ -n "$VERSION" ] || { echo "package.sh: no version in Sources/revgraph/Support/BuildInfo.swift" >&2; exit 2; }
ARCH=$(uname -m)
COMMIT=$(git rev-parse --short=12 HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  [ "$RELEASE" = 1 ] && { echo "package.sh: --release needs a clean tree (commit first)" >&2; exit 2; }
  COMMIT="$COMMIT-dirty"
fi
if [ "$RELEASE" = 1 ] && git rev-parse -q --verify "refs/tags/v$VERSION" >/dev/null; then
  echo "package.sh: tag v$VERSION exists already; raise the version in BuildInfo.swift" >&2; exit 2
fi

# The commit goes into the binary for --version; the tracked file is put back whatever happens.
BUILD_COMMIT=Sources/revgraph/Support/BuildCommit.swift
cp "$BUILD_COMMIT" "$BUILD_COMMIT.orig"
restore() { mv -f "$BUILD_COMMIT.orig" "$BUILD_COMMIT"; }
trap restore EXIT
sed -i "s/static let id: String? = nil/static let id: String? = \"$COMMIT\"/" "$BUILD_COMMIT"

SCRATCH=.build/dist
RPATH='$ORIGIN/../lib/revgraph:$ORIGIN/../data/lib/revgraph'  # installed layout; the unpacked wheel's
# DT_RPATH (--disable-new-dtags), unlike DT_RUNPATH, is also searched for the libraries' own dependencies.
swift build -c release --product revgraph --static-swift-stdlib --scratch-path "$SCRATCH" \
  -Xlinker --disable-new-dtags -Xlinker -rpath -Xlinker "$RPATH" >/dev/null 2>&1 \
  || swift build -c release --product revgraph --static-swift-stdlib --scratch-path "$SCRATCH" \
       -Xlinker --disable-new-dtags -Xlinker -rpath -Xlinker "$RPATH"
restore; trap - EXIT
BIN="$SCRATCH/release/revgraph"

NAME="revgraph-$VERSION-linux-$ARCH"
STAGE="dist/stage/$NAME"
rm -rf dist/stage && mkdir -p "$STAGE/bin" "$STAGE/lib/revgraph" "$STAGE/share/man/man1" \
  "$STAGE/share/bash-completion/completions" "$STAGE/share/zsh/site-functions" "$STAGE/share/fish/vendor_completions.d"
install -m 755 "$BIN" "$STAGE/bin/revgraph"
strip "$STAGE/bin/revgraph"

# Every shared library the binary loads, but glibc's own and what manylinux lets a wheel expect
# (libstdc++, libgcc_s): copied under its soname.
SYSTEM='^(linux-vdso|ld-linux|libc|libm|libdl|librt|libpthread|libresolv|libutil|libnsl|libstdc\+\+|libgcc_s)\.so'
# libpq is not linked but loaded at run time (Sources/RevgraphDatabase/LibPQ.swift), found through
# the same RPATH: ldd of the binary does not list it, so it and its own libraries are added.
PQ=$(ldconfig -p | awk '$1 == "libpq.so.5" && /x86-64|AArch64/ { print $NF; exit }')
[ -n "$PQ" ] || { echo "package.sh: libpq.so.5 not found (apt-get install libpq5)" >&2; exit 2; }
{ ldd "$BIN"; printf '\tlibpq.so.5 => %s (0x0)\n' "$PQ"; ldd "$PQ"; } \
  | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | sort -u | while read -r soname path; do
  if [[ "$soname" =~ $SYSTEM ]]; then continue; fi
  case "$path" in /opt/swift/*) echo "package.sh: $soname comes from the Swift toolchain" >&2; exit 2 ;; esac
  install -m 644 "$(readlink -f "$path")" "$STAGE/lib/revgraph/$soname"
done
# The carried libpq finds its own libraries beside it, as the binary does (and auditwheel sees them).
patchelf --force-rpath --set-rpath '$ORIGIN' "$STAGE/lib/revgraph/libpq.so.5"

"$STAGE/bin/revgraph" --generate-completion-script bash > "$STAGE/share/bash-completion/completions/revgraph"
"$STAGE/bin/revgraph" --generate-completion-script zsh > "$STAGE/share/zsh/site-functions/_revgraph"
"$STAGE/bin/revgraph" --generate-completion-script fish > "$STAGE/share/fish/vendor_completions.d/revgraph.fish"
# The man page from the argument definitions (swift-argument-parser's generate-manual plugin).
rm -rf .build/man-out && mkdir -p .build/man-out
swift package --scratch-path .build/man --allow-writing-to-directory .build/man-out \
  generate-manual --output-directory .build/man-out >/dev/null 2>&1 \
  || swift package --scratch-path .build/man --allow-writing-to-directory .build/man-out \
       generate-manual --output-directory .build/man-out
install -m 644 .build/man-out/revgraph.1 "$STAGE/share/man/man1/revgraph.1"
install -m 644 LICENSE README.md CHANGELOG.md "$STAGE/"

mkdir -p dist
# dist/ holds this build's artifacts only: those of another version (a bumped version) would leave
# two candidates behind for whoever installs from it (and for PackagingTests).
find dist -maxdepth 1 -type f \( -name 'revgraph-*.tar.gz' -o -name 'revgraph-*.whl' \) \
  ! -name "$NAME.tar.gz" ! -name "revgraph-$VERSION-*.whl" -delete
TARBALL="dist/$NAME.tar.gz"
tar -C dist/stage --owner=0 --group=0 --sort=name -czf "$TARBALL" "$NAME"

# The wheel's platform tag: the newest glibc symbol version any of its ELF files needs.
GLIBC=$(for f in "$STAGE/bin/revgraph" "$STAGE"/lib/revgraph/*; do objdump -T "$f"; done \
  | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -t. -k1,1n -k2,2n | tail -1)
TAG="manylinux_${GLIBC%%.*}_${GLIBC#*.}_$ARCH"
WHEEL=$(python3 scripts/make-wheel.py "$STAGE" "$VERSION" "$TAG" dist)

[ "$RELEASE" = 1 ] && git tag -a "v$VERSION" -m "revgraph $VERSION"
for f in "$TARBALL" "$WHEEL"; do sha256sum "$f"; done
