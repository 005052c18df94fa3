#!/usr/bin/env bash
# Mutation check of the roster rules: applies each one-line mutant of tests/mutants/mutants.tsv, one at a time, to a
# temporary copy of the work tree (never the work tree itself), builds the test project of the mutated project once,
# runs it, and reports which mutants the tests kill and which survive. Not part of .ci/run (it builds once per mutant).
#   tests/mutants/run.sh                 every mutant
#   tests/mutants/run.sh core-nik-missing wf-lookup-village   only these ids
# Exit status: 0 when every mutant is killed, 1 when one survives or no longer applies, 2 when the unmutated tests fail.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
list="$root/tests/mutants/mutants.tsv"
work=$(mktemp -d /tmp/ucjflow-mutants.XXXXXX)
trap 'rm -rf "$work"' EXIT
start=$SECONDS

# The work tree as it is (tracked and new files, no bin/obj or other ignored output).
git ls-files -z --cached --others --exclude-standard \
  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$work"
cd "$work"

# The test project that answers for a mutated file.
tests_of() {
  case "$1" in
    functions/UcjFlow.Core/*) echo tests/UcjFlow.Core.Tests ;;
    functions/UcjFlow.Workflow/*) echo tests/UcjFlow.Workflow.Tests ;;
    *) echo "mutants: $1 is neither in Core nor in Workflow" >&2; exit 2 ;;
  esac
}
build() { dotnet build "$1" -c Release -nologo -v q -clp:ErrorsOnly > "$work/build.log" 2>&1; }
run_tests() { # project [filter]
  local args=(test "$1" -c Release --no-build -nologo)
  [ -n "${2:-}" ] && args+=(--filter "$2")
  timeout 900 dotnet "${args[@]}" > "$work/test.log" 2>&1
}

# Which mutants, and a baseline: the unmutated tests of each project involved must pass.
wanted=" $* "
selected=()
while IFS=$'\t' read -r id rule file original mutated filter; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  [[ $# -gt 0 && "$wanted" != *" $id "* ]] && continue
  selected+=("$id"$'\t'"$rule"$'\t'"$file"$'\t'"$original"$'\t'"$mutated"$'\t'"${filter:-}")
done < "$list"
for project in $(for m in "${selected[@]}"; do tests_of "$(cut -f3 <<< "$m")"; done | sort -u); do
  echo "mutants: baseline $project"
  if ! build "$project" || ! run_tests "$project"; then
    echo "mutants: the unmutated $project does not pass; fix that first" >&2
    tail -30 "$work/build.log" "$work/test.log" >&2
    exit 2
  fi
done

killed=0; survived=0; stale=0; unbuilt=0
survivors=()
for m in "${selected[@]}"; do
  IFS=$'\t' read -r id rule file original mutated filter <<< "$m"
  project=$(tests_of "$file")
  cp "$root/$file" "$file"
  # Exactly one line, compared without its indentation, is replaced (ENVIRON: no escape processing of C# text).
  if ! ORIGINAL="$original" MUTATED="$mutated" awk '
      { text = $0; sub(/^[ \t]+/, "", text) }
      text == ENVIRON["ORIGINAL"] { n++; print substr($0, 1, length($0) - length(text)) ENVIRON["MUTATED"]; next }
      { print }
      END { exit n == 1 ? 0 : 3 }' "$root/$file" > "$file.mutant"; then
    printf '%-28s %-22s STALE (the original line is not there exactly once)\n' "$id" "$rule"
    stale=$((stale + 1)); survivors+=("$id (stale)")
    cp "$root/$file" "$file"; continue
  fi
  mv "$file.mutant" "$file"
  t0=$SECONDS
  if ! build "$project"; then
    result="does not build"; unbuilt=$((unbuilt + 1)); survivors+=("$id (does not build)")
  elif run_tests "$project" "$filter"; then
    result="SURVIVED"; survived=$((survived + 1)); survivors+=("$id")
  else
    result="killed"; killed=$((killed + 1))
  fi
  printf '%-28s %-22s %-14s %3ds\n' "$id" "$rule" "$result" $((SECONDS - t0))
  cp "$root/$file" "$file"
done
# Leave the copy's build as the work tree's (not needed, but a later baseline in the same copy would be wrong otherwise).
echo "mutants: $killed killed, $survived survived, $stale stale, $unbuilt did not build, of ${#selected[@]} in $((SECONDS - start)) s"
[ ${#survivors[@]} -gt 0 ] && { echo "mutants: not killed: ${survivors[*]}"; exit 1; }
exit 0
