#!/usr/bin/env bash
# Runs the leakproof corpus: every case of leakproof-corpus (or those whose name matches REGEX) through
# `./leakproof soak --class`, then scores each JSON report against the case's @Expect truth.
#
#   scripts/corpus.sh                       build, run all cases, print the scores ("N passed, N failed")
#   scripts/corpus.sh 'Thread|Lazy'         only the cases whose name matches the regex
#   scripts/corpus.sh --record              also write the catalogue and the scores into docs/corpus.md
#   scripts/corpus.sh --list                list the cases and their truths (TSV), run nothing
#   scripts/corpus.sh --score-only          score the reports of the last run again, run nothing
#   scripts/corpus.sh REGEX -- --samples=60 extra soak options for every case after '--'
#   scripts/corpus.sh --package holdout2    the cases of dev.leakproof.corpus.holdout2 only (a held-out round)
#
# Options: --out DIR (default leakproof-corpus/target/corpus-run), --max-duration TIME (default 60s, each
# case's self-extension budget), --no-build, --package NAME (the cases of dev.leakproof.corpus.NAME: cases,
# holdout, holdout2, holdout3, holdout4, holdout5, holdout6; default: the corpus as it always ran, cases and holdout; not with --record). The command
# and the cases are built once and copied into DIR, so a run measures one version of the tool even while the
# tree changes under it.
# Exit status: 0 when every case passed, 1 when some missed, 2 for bad usage or a failed build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/.mvn/find-jdk.sh"
leakproof_find_jdk || exit 2

out="$root/leakproof-corpus/target/corpus-run"
max_duration=60s
version=""
record=0
build=1
list_only=0
score_only=0
regex=""
package=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --record) record=1 ;;
    --no-build) build=0 ;;
    --list) list_only=1 ;;
    --score-only) score_only=1; build=0 ;;
    --out) out=$(realpath -m "$2"); shift ;;
    --max-duration) max_duration=$2; shift ;;
    --package)
      [ $# -ge 2 ] || { echo "corpus: --package needs a name (cases, holdout, holdout2, holdout3, holdout4, holdout5, holdout6)" >&2; exit 2; }
      package=$2; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "corpus: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) [ -z "$regex" ] || { echo "corpus: one REGEX only, got '$regex' and '$1'" >&2; exit 2; }; regex=$1 ;;
  esac
  shift
done

if [ -n "$package" ] && [ "$record" = 1 ]; then
  echo "corpus: --record writes the main corpus' catalogue and scores into docs/corpus.md; it cannot be used with" \
       "--package $package (record a package's run by hand)" >&2
  exit 2
fi
package_args=()
[ -n "$package" ] && package_args=(--package "$package")

if [ "$build" = 1 ]; then
  echo "corpus: building leakproof-corpus and the command..." >&2
  log=$(mktemp)
  # the tree is shared with people editing it: a build that breaks mid-edit is tried again a little later
  for try in 1 2 3; do
    if ./mvnw -q -B -pl leakproof-corpus -am -DskipTests install >"$log" 2>&1; then
      break
    fi
    if [ "$try" = 3 ]; then
      cat "$log" >&2; rm -f "$log"
      echo "corpus: the build failed three times (output above)." >&2
      exit 2
    fi
    echo "corpus: the build failed; trying again in 90 s" >&2
    sleep 90
  done
  rm -f "$log"
fi

target="$root/leakproof-corpus/target"
jar=$(ls "$target"/leakproof-corpus-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n 1 || true)
if [ -z "$jar" ] || [ ! -d "$target/lib" ]; then
  echo "corpus: no leakproof-corpus jar in $target; run without --no-build" >&2
  exit 2
fi
corpus_cp="$jar:$target/lib/*"
corpus() { "$JAVA_HOME/bin/java" -cp "$corpus_cp" dev.leakproof.corpus.CorpusMain "$@"; }

if [ "$list_only" = 1 ]; then
  corpus list "${package_args[@]}" ${regex:+"$regex"}
  exit $?
fi

mkdir -p "$out"
if [ "$score_only" = 0 ]; then
  # One version of the tool for the whole run: others may be editing the tree, and ./leakproof rebuilds itself
  # when sources change, so the command is built once and its jars are copied aside for the run.
  cli="$root/leakproof-cli/target"
  cli_jar=$(ls "$cli"/leakproof-cli-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n 1 || true)
  if [ -z "$cli_jar" ] || [ ! -d "$cli/lib" ]; then
    echo "corpus: the command is not built ($cli); run without --no-build" >&2
    exit 2
  fi
  tool="$out/tool"
  rm -rf "$tool" && mkdir -p "$tool/lib"
  cp "$cli_jar" "$tool/" && cp "$cli"/lib/*.jar "$tool/lib/"
  version="(not a git checkout)"
  if rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
    version=$rev
    git -C "$root" diff --quiet HEAD -- leakproof-core leakproof-kv leakproof-soak leakproof-cli 2>/dev/null \
      || version="$rev + uncommitted changes"
  fi
  echo "corpus: tool $version, frozen in $tool" >&2
  # the flags ./leakproof gives its JVM (NMT and native access matter when the soak runs in it)
  leakproof_cmd=("$JAVA_HOME/bin/java" -XX:NativeMemoryTracking=summary --enable-native-access=ALL-UNNAMED -Xmx1g
                 -cp "$tool/$(basename "$cli_jar"):$tool/lib/*" dev.leakproof.cli.Main)
  help=$("${leakproof_cmd[@]}" soak --help 2>&1 || true)
  # '--cp dir/*' is read by the command where it says so; otherwise the script lists the jars itself
  cases="$out/cases"
  rm -rf "$cases" && mkdir -p "$cases/lib"
  cp "$jar" "$cases/" && cp "$target"/lib/*.jar "$cases/lib/"
  if grep -q 'dir/\*' <<<"$help"; then
    soak_cp="$cases/$(basename "$jar"):$cases/lib/*"
  else
    soak_cp="$cases/$(basename "$jar")$(printf ':%s' "$cases"/lib/*.jar)"
  fi
  limit_args=()
  hard_limit=900
  if grep -q -- '--max-duration' <<<"$help"; then
    limit_args=(--max-duration "$max_duration")
    # the budget covers measuring and sampling; start-up, warm-up and the culprit pass come on top
    secs=$(sed -E 's/^([0-9]+)s$/\1/; s/^([0-9]+)m$/\1*60/' <<<"$max_duration" | bc 2>/dev/null || echo 60)
    hard_limit=$((secs * 3 + 60))
  fi

  listing=$(corpus list "${package_args[@]}" ${regex:+"$regex"}) || exit 2
  mapfile -t rows < <(grep -v '^#' <<<"$listing")
  if [ "${#rows[@]}" = 0 ]; then
    echo "corpus: no case matches '$regex'${package:+ in package $package} (scripts/corpus.sh --list shows them)" >&2
    exit 2
  fi
  rm -f "$out"/*.status
  n=0
  for row in "${rows[@]}"; do
    IFS=$'\t' read -r name class truth probe rate culprit user library flags summary <<<"$row"
    [ "$flags" = - ] && flags=""
    [ "$probe" = - ] && probe=""
    n=$((n + 1))
    printf 'corpus: [%d/%d] %-34s truth %-7s %-12s ' "$n" "${#rows[@]}" "$name" "$truth" "${probe:--}" >&2
    rm -f "$out/$name.json" "$out/$name.html"
    # shellcheck disable=SC2086 # flags is a space-separated list of options without spaces
    cmd=("${leakproof_cmd[@]}" soak --class "$class" --cp "$soak_cp" --json "$out/$name.json" --report "$out/$name.html"
         --quiet "${limit_args[@]}" $flags "${extra[@]}")
    start=$(date +%s.%N)
    set +e
    timeout -k 10 "$hard_limit" "${cmd[@]}" >"$out/$name.log" 2>&1
    status=$?
    set -e
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    printf 'exit=%d seconds=%.1f\n' "$status" "$secs" >"$out/$name.status"
    verdict=$(jq -r '.verdict // "?"' "$out/$name.json" 2>/dev/null || echo "no report")
    printf -- '-> %-12s (exit %d, %.0f s)\n' "$verdict" "$status" "$secs" >&2
  done
fi

score_args=(score "$out")
[ -n "$regex" ] && score_args+=("$regex")
score_args+=("${package_args[@]}")
if [ "$record" = 1 ]; then
  command="scripts/corpus.sh${regex:+ '$regex'} --max-duration $max_duration${extra:+ -- ${extra[*]}}"
  score_args+=(--record "$root/docs/corpus.md" --command "$command" --date "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m)${version:+, tool $version}")
fi
corpus "${score_args[@]}"
