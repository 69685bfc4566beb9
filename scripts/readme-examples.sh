#!/usr/bin/env bash
# readme-examples.sh [NAME...]: runs the example commands of README.md and
# puts what they print now in place of what the README showed, so the
# examples are the current build's (make readme-examples; run it on a quiet
# machine: the figures are this machine's).
#
# An example is a code block right after a line
#     <!-- example: NAME -->
# Each of its lines starting with "$ " is a command (a line ending in "\"
# goes on in the next), run from the top of the tree with sh -c, stdout
# and stderr together as a terminal would show them (without colour); all
# other lines of the block are the old output and are replaced. Code blocks
# without a marker are left alone. With NAMEs, only those examples run.
# A command that prints "steady: error:" stops the script and README.md is
# left as it was. README=FILE edits another file (the tests do).
set -eu
readme=$(realpath "${README:-$(dirname "$0")/../README.md}")
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
new=$tmp/README.md
: >"$new"

die() { echo "readme-examples.sh: $*" >&2; exit 1; }

selected() {
	[ $# -eq 0 ] && return 0
	local n
	for n in "${wanted[@]}"; do [ "$n" = "$name" ] && return 0; done
	return 1
}

# run_block: the new block for the commands in shown[] and run[].
run_block() {
	local i out rc
	for i in "${!run[@]}"; do
		[ "$i" -gt 0 ] && echo
		printf '%s\n' "${shown[i]}"
		echo "readme-examples.sh: $name: ${run[i]}" >&2
		rc=0
		out=$(NO_COLOR=1 sh -c "${run[i]}" 2>&1 </dev/null) || rc=$?
		if printf '%s\n' "$out" | grep -q '^steady: error:'; then
			printf '%s\n' "$out" >&2
			die "$name: '${run[i]}' failed (exit code $rc)"
		fi
		# command substitution dropped the trailing newlines
		printf '%s\n' "$out"
	done
}

wanted=("$@")
found=()
state=text
while IFS= read -r line || [ -n "$line" ]; do
	case $state in
	text)
		printf '%s\n' "$line" >>"$new"
		if [[ $line =~ ^'<!-- example: '([A-Za-z0-9_-]+)' -->'$ ]]; then
			name=${BASH_REMATCH[1]}
			state=marked
		fi
		;;
	marked)
		[ "$line" = '```' ] || die "the marker of '$name' is not followed by a code block"
		printf '%s\n' "$line" >>"$new"
		shown=() run=() old=() cont=0
		state=block
		;;
	block)
		if [ "$line" = '```' ]; then
			[ ${#run[@]} -gt 0 ] || die "example '$name' has no \$ command"
			found+=("$name")
			if selected "${wanted[@]}"; then
				run_block >>"$new"
			else
				printf '%s\n' "${old[@]}" >>"$new"
			fi
			printf '%s\n' "$line" >>"$new"
			state=text
			continue
		fi
		old+=("$line")
		if [ $cont = 1 ]; then
			last=$((${#run[@]} - 1))
			shown[last]+=$'\n'$line
			run[last]=${run[last]%\\}${line}
		elif [[ $line == '$ '* ]]; then
			shown+=("$line")
			run+=("${line#\$ }")
		else
			continue
		fi
		[[ $line == *\\ ]] && cont=1 || cont=0
		;;
	esac
done <"$readme"
[ $state = text ] || die "$readme ends inside the example '$name'"
for n in "${wanted[@]}"; do
	printf '%s\n' "${found[@]}" | grep -qx -- "$n" || die "no example '$n' (there are: ${found[*]})"
done
cp "$new" "$readme"
