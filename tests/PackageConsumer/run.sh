#!/usr/bin/env bash
# Meets GraphGen the way a user does: packs the repo, then builds this project (outside GraphGen.sln) from the
# packages alone. Checks the packages' contents, that the generator ran (the program prints state from a
# generated graph), and that a deliberately wrong file gets its GG diagnostic. Run from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$here"

fail() { echo "package check FAILED: $*" >&2; exit 1; }

# A per-run package cache: nothing stale from an earlier pack (same version, other contents) can be restored,
# and parallel runs in other checkouts do not disturb each other. Dependencies come again from the feed.
packages=$(mktemp -d)
trap 'rm -rf "$packages"' EXIT
export NUGET_PACKAGES=$packages

echo "== Packing (Release) into tests/PackageConsumer/local-feed"
rm -rf local-feed
dotnet pack "$repo/GraphGen.sln" -c Release -o local-feed --verbosity quiet
version=$(dotnet msbuild "$repo/src/GraphGen/GraphGen.csproj" -getProperty:PackageVersion)

# Every project under src/ that is not a compiler plug-in ships as its own package, with symbols.
expected="GraphGen GraphGen.Sqlite"
[ -d "$repo/src/GraphGen.Postgres" ] && expected="$expected GraphGen.Postgres"
actual=$(cd local-feed && ls -- *.nupkg | sed "s/\.$version\.nupkg\$//" | sort | xargs)
[ "$actual" = "$(echo $expected | tr ' ' '\n' | sort | xargs)" ] \
  || fail "expected packages '$expected' at $version, got '$actual' (local-feed: $(ls local-feed | xargs))"
for id in $expected; do
  [ -f "local-feed/$id.$version.snupkg" ] || fail "no symbol package $id.$version.snupkg"
done

echo "== Restoring and building the consumer from local-feed ($version)"
dotnet build -p:GraphGenVersion="$version" --verbosity quiet

# Restore extracted the packages into the per-run cache: check what users get.
graphgen="$packages/graphgen/$version"
for file in lib/net10.0/GraphGen.dll analyzers/dotnet/cs/GraphGen.Generators.dll README.md; do
  [ -f "$graphgen/$file" ] || fail "GraphGen package lacks $file"
done
if [ -d "$repo/src/GraphGen.CodeFixes" ]; then
  [ -f "$graphgen/analyzers/dotnet/cs/GraphGen.CodeFixes.dll" ] \
    || fail "GraphGen package lacks analyzers/dotnet/cs/GraphGen.CodeFixes.dll (add it to PackagedAnalyzerProject in src/GraphGen/GraphGen.csproj)"
fi
[ ! -e "$graphgen/lib/net10.0/GraphGen.Generators.dll" ] || fail "GraphGen.Generators.dll is a lib reference; it belongs in analyzers/ only"
! grep -q 'id="GraphGen.Generators"' "$graphgen/graphgen.nuspec" || fail "GraphGen depends on a GraphGen.Generators package"
[ -f "$packages/graphgen.sqlite/$version/README.md" ] || fail "GraphGen.Sqlite package lacks README.md"
strays=$(find "$packages"/graphgen* -iname '*tests*.dll' -o -iname '*benchmarks*.dll' -o -iname 'xunit*.dll' | xargs)
[ -z "$strays" ] || fail "test assemblies in the packages: $strays"

echo "== Running the consumer"
output=$(dotnet bin/Debug/net10.0/PackageConsumer.dll)
echo "$output"
expected_line="count=2 log=hello ada,hello grace"
echo "$output" | grep -qxF "$expected_line" \
  || fail "the consumer did not print '$expected_line': the generated graph did not run as expected"

echo "== Building with a deliberately wrong file (Wrong/NotPartialState.cs)"
log=$(mktemp)
set +e
dotnet build -p:GraphGenVersion="$version" -p:IncludeWrongFile=true --no-restore >"$log" 2>&1
set -e
grep -E 'NotPartialState\.cs.*GG0001' "$log" \
  || { cat "$log"; fail "no GG0001 (GraphState type must be partial) for Wrong/NotPartialState.cs: the analyzers did not run from the package"; }
rm -f "$log"

echo "package check passed: GraphGen $version packs, restores from local-feed, generates and analyzes."
