#!/usr/bin/env bash
# What GraphGen's generators add to a real `dotnet build` of a project with 50 state types and 10 graphs (issue 3's
# "adds under 100 ms"), next to what System.Text.Json's generator adds for the same 50 records. GeneratorBenchmarks
# measures the same in one process with BenchmarkDotNet; this is the build a user runs, through the compiler server.
#
#   bash tests/GraphGen.Benchmarks/build-cost.sh [--rounds 8] [--shape chat|ints]
#
# Three projects in one folder, built in turn each round, after touching their sources:
#   plain     the 50 records (no attributes) and 10 static classes with the same node methods returning the record;
#   graphgen  the same records as [GraphState] partial records and the classes as [Graph<T>], with GraphGen's generators;
#   stj       plain plus one JsonSerializerContext listing the 50 records (camelCase), with System.Text.Json's generator.
# A round's number is the Csc task's time (MSBuild's performance summary), so restore, references and copying are left
# out. Prints each mode's times, median, and its median minus plain's. The first build of each mode is a warm-up.
# The compiler server is used (UseSharedCompilation=true), as on a developer's machine; this repo's CI turns it off.
# Also prints GraphGen's generators' own execution time as the compiler reports it (-p:ReportAnalyzer=true).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=8
shape=chat
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --shape) shape=$2; shift 2 ;;
    *) echo "unknown argument '$1'; usage: build-cost.sh [--rounds N] [--shape chat|ints]" >&2; exit 2 ;;
  esac
done
case "$rounds" in ''|*[!0-9]*|0) echo "--rounds must be a positive integer, not '$rounds'" >&2; exit 2 ;; esac
case "$shape" in chat|ints) ;; *) echo "--shape must be chat or ints, not '$shape'" >&2; exit 2 ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/graphgen-build-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/graphgen" "$work/plain" "$work/stj"

cat > "$work/build-cost.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/src/GraphGen/GraphGen.csproj" />
  </ItemGroup>
  <ItemGroup Condition="'\$(Mode)' == 'graphgen'">
    <Compile Include="graphgen/*.cs" />
    <ProjectReference Include="$root/src/GraphGen.Generators/GraphGen.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
  <ItemGroup Condition="'\$(Mode)' == 'plain'"><Compile Include="plain/*.cs" /></ItemGroup>
  <ItemGroup Condition="'\$(Mode)' == 'stj'"><Compile Include="plain/*.cs;stj/*.cs" /></ItemGroup>
</Project>
EOF

if [ "$shape" = chat ]; then
  members_graphgen='[Reducer(typeof(AddMessages))] public ImmutableList<ChatMessage> Messages { get; init; } = [];
    [Reducer(typeof(Append))] public ImmutableList<string> Notes { get; init; } = [];
    [Reducer(typeof(Sum))] public int Total { get; init; }
    public string? Summary { get; init; }
    public long Turn { get; init; }'
  members_plain='public ImmutableList<ChatMessage> Messages { get; init; } = [];
    public ImmutableList<string> Notes { get; init; } = [];
    public int Total { get; init; }
    public string? Summary { get; init; }
    public long Turn { get; init; }'
  first='Total = 1'; second='Turn = s.Turn + 1'; route='s.Total > 3'
else
  members_graphgen='public int A { get; init; }
    public int B { get; init; }
    public int C { get; init; }'
  members_plain=$members_graphgen
  first='A = 1'; second='B = s.B + 1'; route='s.A > 3'
fi
{
  echo 'using System.Collections.Immutable; using GraphGen; using Microsoft.Extensions.AI;'
  echo 'namespace Bench;'
  for i in $(seq 0 49); do printf '[GraphState]\npublic partial record State%s\n{\n    %s\n}\n' "$i" "$members_graphgen"; done
  for i in $(seq 0 9); do
    cat <<EOF
[Graph<State$i>]
[Edge(nameof(B), Graph.End)]
public static partial class Graph$i
{
    [Node, Entry] static State$i.Update A(State$i s) => new() { $first };
    [Node] static State$i.Update B(State$i s, NodeContext context) => new() { $second };
    [Route(From = nameof(A), To = [nameof(B), Graph.End])] static string Next(State$i s) => $route ? Graph.End : nameof(B);
}
EOF
  done
} > "$work/graphgen/States.cs"
{
  echo 'using System.Collections.Immutable; using Microsoft.Extensions.AI;'
  echo 'namespace Bench;'
  for i in $(seq 0 49); do printf 'public partial record State%s\n{\n    %s\n}\n' "$i" "$members_plain"; done
  for i in $(seq 0 9); do
    cat <<EOF
public static partial class Graph$i
{
    static State$i A(State$i s) => s with { $first };
    static State$i B(State$i s, object context) => s with { $second };
    static string Next(State$i s) => $route ? "end" : nameof(B);
}
EOF
  done
} > "$work/plain/States.cs"
{
  echo 'using System.Text.Json.Serialization;'
  echo 'namespace Bench;'
  echo '[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]'
  for i in $(seq 0 49); do echo "[JsonSerializable(typeof(State$i))]"; done
  echo 'internal partial class StjContext : JsonSerializerContext { }'
} > "$work/stj/Context.cs"

cd "$work"
export UseSharedCompilation=true
build() { # mode, extra arguments → the build's output; fails the script when the build fails
  touch graphgen/States.cs plain/States.cs stj/Context.cs
  dotnet build -c Release -p:Mode="$1" --no-restore --no-dependencies -clp:PerformanceSummary "${@:2}" 2>&1 \
    || { echo "build of mode $1 failed" >&2; exit 1; }
}
csc_ms() { grep -E '^\s+[0-9]+ ms\s+Csc\s' | awk '{print $1}'; }

echo "== restore and first builds (warm-up), in $work" >&2
dotnet restore -p:Mode=graphgen -v:q >/dev/null
dotnet build -c Release -p:Mode=graphgen -v:q >/dev/null
for mode in plain graphgen stj; do build "$mode" >/dev/null; done

declare -A times
for round in $(seq 1 "$rounds"); do
  line=
  for mode in plain graphgen stj; do
    ms=$(build "$mode" | csc_ms)
    times[$mode]+="$ms "
    line+=" $mode $ms"
  done
  echo "round $round:$line" >&2
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
plain_median=$(echo "${times[plain]}" | median)
echo "shape $shape, $rounds rounds, Csc task ms (compiler server)"
for mode in plain graphgen stj; do
  m=$(echo "${times[$mode]}" | median)
  echo "$mode: ${times[$mode]}| median $m | added $(awk -v a="$m" -v b="$plain_median" 'BEGIN {print a - b}') ms"
done
echo "GraphGen.Generators' own time, as the compiler reports it (ReportAnalyzer), in 3 builds: generators, analyzers"
for _ in 1 2 3; do
  build graphgen -p:ReportAnalyzer=true -v:d | awk '
    /Total analyzer execution time/ { section = "analyzers" }
    /Total generator execution time/ { section = "generators" }
    $3 == "GraphGen.Generators," { seconds[section] = $1 }
    END { printf "  %s s, %s s\n", seconds["generators"], seconds["analyzers"] }'
done
