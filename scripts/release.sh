#!/usr/bin/env bash
# Makes and checks what a release publishes, in target/release/:
#   maven/dev/keepaliveagent/keepalive-agent/VERSION/   the agent jar, its sources and javadoc jars, its POM and
#                                                       its CycloneDX SBOM, each with .sha256, .sha1 and .md5:
#                                                       a Maven repository on disk, laid out as a remote one is
#   keepalive-agent-image-VERSION.oci.tar (+ .digest)   the init container's image, an OCI image layout
#   SHA256SUMS                                          every file above
# and checks it: the jar is reproducible (a second build elsewhere gives the same bytes), every class in it is
# the agent's own or relocated under dev/keepaliveagent/shaded, the POM has no parent and no dependencies a
# user would inherit and has what a public repository requires, the SBOM names what the jar bundles, the
# image holds that very jar and its install command copies it (run in a chroot), and a second image build
# gives the same digest.
#
#   scripts/release.sh --dry-run [--reuse-build]   all of the above; --reuse-build takes agent/target as built
#                                                  (by .ci/run's build) instead of building it first
#   scripts/release.sh --prepare                   dates the CHANGELOG's entry and the build's timestamp
#                                                  with today, commits "Release VERSION" and tags vVERSION
#   scripts/release.sh --publish                   on that tag (.github/workflows/release.yml): the dry run,
#                                                  then signs and uploads the Maven set to Maven Central and
#                                                  pushes the image (needs the workflow's secrets; not here)
#   scripts/release.sh --missing-tools             the Debian packages it needs that this machine lacks
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

mode=${1:-}
reuse_build=no
[[ ${2:-} == --reuse-build ]] && reuse_build=yes
case $mode in
  --dry-run|--prepare|--publish) ;;
  --missing-tools) ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac

version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
timestamp=$(sed -n 's:.*<project.build.outputTimestamp>\(.*\)</project.build.outputTimestamp>.*:\1:p' pom.xml)
byte_buddy=$(sed -n 's:.*<byte-buddy.version>\(.*\)</byte-buddy.version>.*:\1:p' pom.xml)
tinylog=$(sed -n 's:.*<tinylog.version>\(.*\)</tinylog.version>.*:\1:p' pom.xml)
image_repository=${IMAGE_REPOSITORY:-$(sed -n 's:.*<keepalive.image>\(.*\)</keepalive.image>.*:\1:p' pom.xml)}

fail() { echo "release: $*" >&2; exit 1; }

# What the release needs beyond a JDK and Maven: the Debian packages, named as apt-get takes them.
missing_tools() {
  local missing=()
  command -v unzip >/dev/null || missing+=(unzip)
  command -v gcc >/dev/null || missing+=(gcc)
  [[ -f /usr/lib/x86_64-linux-gnu/libc.a || -f /usr/lib/libc.a ]] || missing+=(libc6-dev)
  if [[ ${CI:-} == true ]] && ! command -v skopeo >/dev/null; then missing+=(skopeo); fi
  echo "${missing[*]}"
}
[[ $mode == --missing-tools ]] && { missing_tools; exit 0; }
needs=$(missing_tools)
if [[ $mode != --prepare && -n $needs ]]; then
  fail "needs $needs: apt-get install $needs"
fi

if [[ $mode == --prepare ]]; then
  [[ -z $(git status --porcelain) ]] || fail "the work tree has changes: commit or stash them first"
  today=$(date -u +%Y-%m-%d)
  grep -q "^## Unreleased ($version)\$" CHANGELOG.md || fail "CHANGELOG.md has no '## Unreleased ($version)' entry to date"
  sed -i "s/^## Unreleased ($version)\$/## $version ($today)/" CHANGELOG.md
  sed -i "s:<project.build.outputTimestamp>.*</project.build.outputTimestamp>:<project.build.outputTimestamp>${today}T00\:00\:00Z</project.build.outputTimestamp>:" pom.xml
  git commit -q -am "Release $version" && git tag -a "v$version" -m "keepalive-agent $version"
  echo "release: tagged v$version; push the commit and the tag (git push --follow-tags) to publish it"
  exit 0
fi

target=agent/target
out=target/release
work=target/release-work
repo=$out/maven/dev/keepaliveagent/keepalive-agent/$version
base=keepalive-agent-$version

if [[ $reuse_build == no ]]; then
  echo "== release: building $version (mvn package, tests are .ci/run's)"
  mvn -B -q clean package -DskipTests
fi
for built in keepalive-agent.jar keepalive-agent.jar.sha256 keepalive-agent-sources.jar keepalive-agent-javadoc.jar \
             keepalive-agent-sbom.json .flattened-pom.xml; do
  [[ -f $target/$built ]] || fail "no $target/$built: build first (mvn package, online: the SBOM plugin runs only so), or drop --reuse-build"
done

echo "== release: the jar is reproducible"
scripts/check-reproducible.sh

rm -rf "$out" "$work"
mkdir -p "$repo" "$work"
cp "$target/keepalive-agent.jar" "$repo/$base.jar"
cp "$target/keepalive-agent-sources.jar" "$repo/$base-sources.jar"
cp "$target/keepalive-agent-javadoc.jar" "$repo/$base-javadoc.jar"
cp "$target/.flattened-pom.xml" "$repo/$base.pom"
cp "$target/keepalive-agent-sbom.json" "$repo/$base-cyclonedx.json"

echo "== release: every class in the jar is the agent's own or relocated, and it carries the licenses"
jar=$repo/$base.jar
unzip -q -o "$jar" META-INF/keepalive-agent/shaded.jar -d "$work/jar"
classes=$( (unzip -Z1 "$jar"; unzip -Z1 "$work/jar/META-INF/keepalive-agent/shaded.jar") | grep '\.class$')
outside=$(grep -v '^dev/keepaliveagent/' <<< "$classes" || true)
[[ -z $outside ]] || fail "classes outside dev/keepaliveagent/ (not relocated): $(head -5 <<< "$outside")"
for library in bytebuddy tinylog; do
  grep -q "^dev/keepaliveagent/shaded/$library/" <<< "$classes" || fail "no relocated $library classes in the jar"
done
for notice in META-INF/LICENSE META-INF/NOTICE META-INF/licenses/ASM; do
  [[ -n $(unzip -Z1 "$jar" "$notice" 2>/dev/null) ]] || fail "the jar has no $notice (what Apache-2.0 asks of a redistribution)"
done
[[ $(unzip -p "$jar" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Implementation-Version: //p') == "$version" ]] \
  || fail "the jar's manifest does not say version $version"

echo "== release: the POM stands alone and has what a public repository requires"
pom=$repo/$base.pom
for element in '<groupId>dev.keepaliveagent</groupId>' '<artifactId>keepalive-agent</artifactId>' "<version>$version</version>" \
               '<name>' '<description>' '<url>' '<licenses>' '<developers>' '<scm[ >]' '<connection>'; do
  grep -Eq "$element" "$pom" || fail "the POM has no $element"
done
for element in '<parent>' '<dependencies>' '<dependencyManagement>' '<repositories>' '<build>' '<profiles>'; do
  ! grep -q "$element" "$pom" || fail "the POM has $element, which a user's build would inherit or fetch"
done

echo "== release: the SBOM names what the jar bundles"
sbom=$repo/$base-cyclonedx.json
for purl in "pkg:maven/dev.keepaliveagent/keepalive-agent@$version" "pkg:maven/net.bytebuddy/byte-buddy@$byte_buddy" \
            "pkg:maven/net.bytebuddy/byte-buddy-agent@$byte_buddy" "pkg:maven/org.tinylog/tinylog-api@$tinylog" \
            "pkg:maven/org.tinylog/tinylog-impl@$tinylog"; do
  grep -q "\"$purl?type=jar\"" "$sbom" || fail "the SBOM does not name $purl"
done
grep -q '"bomFormat" : "CycloneDX"' "$sbom" || fail "the SBOM is not CycloneDX"
! grep -q 'junit\|jackson\|snakeyaml\|netty' "$sbom" || fail "the SBOM names a test dependency, which the jar does not hold"

echo "== release: the sources and javadoc jars hold all three source roots"
sources=$(unzip -Z1 "$repo/$base-sources.jar")
for source in dev/keepaliveagent/AgentEntry.java dev/keepaliveagent/startup/Agent.java dev/keepaliveagent/observe/JfrEvents.java; do
  grep -qx "$source" <<< "$sources" || fail "the sources jar has no $source"
done
[[ -n $(unzip -Z1 "$repo/$base-javadoc.jar" index.html 2>/dev/null) ]] || fail "the javadoc jar has no index.html"

echo "== release: the init container's image"
gcc -static -Os -s -Wall -Wextra -Werror -o "$work/install" deploy/image/install.c
image=$out/keepalive-agent-image-$version.oci.tar
patch=deploy/kubernetes/deployment-patch.yaml
digest=$(java deploy/image/OciImage.java "$version" "$timestamp" "$jar" "$target/keepalive-agent.jar.sha256" "$work/install" "$image")
echo "$digest" > "$image.digest"
gcc -static -Os -s -Wall -Wextra -Werror -o "$work/install-again" deploy/image/install.c
again=$(java deploy/image/OciImage.java "$version" "$timestamp" "$jar" "$target/keepalive-agent.jar.sha256" "$work/install-again" "$work/again.tar")
[[ $again == "$digest" ]] || fail "the image is not reproducible: $digest, then $again"
mkdir -p "$work/layout"
tar -xf "$image" -C "$work/layout"
(cd "$work/layout/blobs/sha256" && for blob in *; do
  [[ $(sha256sum "$blob" | cut -d' ' -f1) == "$blob" ]] || fail "image blob $blob does not have its name's digest"
done)
manifest=$work/layout/blobs/sha256/${digest#sha256:}
layer=$(grep -o '"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:[0-9a-f]*' "$manifest" | sed 's/.*sha256://')
mkdir -p "$work/rootfs/opt/keepalive-agent"
tar -xzf "$work/layout/blobs/sha256/$layer" -C "$work/rootfs"
cmp -s "$work/rootfs/keepalive-agent/keepalive-agent.jar" "$jar" || fail "the image's jar is not the released jar"
if command -v skopeo >/dev/null; then
  inspected=$(skopeo inspect --format '{{.Digest}} {{index .Labels "org.opencontainers.image.version"}}' "oci-archive:$image")
  [[ $inspected == "$digest $version" ]] || fail "skopeo reads the image as '$inspected', not '$digest $version'"
  echo "skopeo inspect: $inspected"
  entrypoint=$(skopeo inspect --config "oci-archive:$image" | tr -d ' \n' | grep -o '"Entrypoint":\[[^]]*\]')
  grep -q "command: \[\"$(sed 's/.*\["\([^"]*\)".*/\1/' <<< "$entrypoint")\"" "$patch" \
    || fail "the Kubernetes example's init container does not run the image's entry point $entrypoint"
elif [[ ${CI:-} == true ]]; then
  fail "skopeo is needed under CI to read the image as a registry client would (apt-get install skopeo)"
fi
grep -q "image: $image_repository:$version\$" "$patch" || fail "$patch does not name the image $image_repository:$version"
grep -q "reference: $image_repository:$version\$" deploy/kubernetes/deployment-patch-image-volume.yaml \
  || fail "deployment-patch-image-volume.yaml does not mount the image $image_repository:$version"
if [[ $(id -u) -eq 0 ]]; then
  chroot "$work/rootfs" /keepalive-agent/install /opt/keepalive-agent > "$work/install.out"
  (cd "$work/rootfs/opt/keepalive-agent" && sha256sum -c --quiet keepalive-agent.jar.sha256) \
    || fail "the image's install command did not copy the jar whole"
  [[ $(stat -c %a "$work/rootfs/opt/keepalive-agent") == 1777 ]] || fail "install left the volume not sticky"
  echo "install, run in a chroot of the image: copied the jar and its checksum, made the volume sticky"
elif [[ ${CI:-} == true ]]; then
  fail "root is needed under CI to run the image's install command in a chroot"
fi

(cd "$repo" && for file in *; do
  sha256sum "$file" | cut -d' ' -f1 > "$file.sha256"
  sha1sum "$file" | cut -d' ' -f1 > "$file.sha1"
  md5sum "$file" | cut -d' ' -f1 > "$file.md5"
done)
(cd "$out" && find . -type f ! -name SHA256SUMS ! -name '*.sha1' ! -name '*.md5' ! -name '*.sha256' | sort \
  | sed 's:^\./::' | xargs sha256sum > SHA256SUMS && sha256sum -c --quiet SHA256SUMS)

echo "== release: a Maven build resolves the jar from the repository on disk (checksums strict)"
(cd "$work" && mvn -B -q -C org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
  -Dartifact="dev.keepaliveagent:keepalive-agent:$version" -DremoteRepositories="release::default::file://$root/$out/maven" \
  -Dmaven.repo.local="$root/$work/m2" > "$root/$work/resolve.log" 2>&1) || { cat "$work/resolve.log" >&2; fail "Maven could not resolve the jar from $out/maven"; }
cmp -s "$work/m2/dev/keepaliveagent/keepalive-agent/$version/$base.jar" "$jar" || fail "Maven resolved another jar than the released one"

echo "== release: keepalive-agent $version, in $out"
(cd "$out" && find . -type f ! -name '*.sha1' ! -name '*.md5' ! -name '*.sha256' | sort | sed 's:^\./::' \
  | while read -r file; do printf '%10s  %s\n' "$(stat -c %s "$file")" "$file"; done)
echo "image: $digest, to be pushed as $image_repository:$version"

if [[ $mode == --dry-run ]]; then
  echo "== release: dry run: nothing signed, nothing published"
  exit 0
fi

# --publish: run by .github/workflows/release.yml on the tag --prepare made.
[[ $(git describe --exact-match --tags HEAD 2>/dev/null) == "v$version" ]] || fail "HEAD is not tagged v$version (scripts/release.sh --prepare)"
grep -q "^## $version ([0-9-]*)\$" CHANGELOG.md || fail "CHANGELOG.md has no dated '## $version (YYYY-MM-DD)' entry"
: "${GPG_KEY_ID:?the key that signs the release}" "${CENTRAL_TOKEN:?a Maven Central Portal user token, user:password}"
(cd "$repo" && for file in "$base.jar" "$base-sources.jar" "$base-javadoc.jar" "$base.pom" "$base-cyclonedx.json"; do
  gpg --batch --yes --local-user "$GPG_KEY_ID" --armor --detach-sign "$file"
done)
(cd "$out/maven" && zip -q -r ../central-bundle.zip dev)
curl --fail --silent --show-error -u "$CENTRAL_TOKEN" -F "bundle=@$out/central-bundle.zip" \
  "https://central.sonatype.com/api/v1/publisher/upload?name=keepalive-agent-$version&publishingType=AUTOMATIC"
skopeo copy "oci-archive:$image" "docker://$image_repository:$version"
echo "== release: published $version (Maven Central bundle uploaded; image $image_repository:$version@$digest)"
