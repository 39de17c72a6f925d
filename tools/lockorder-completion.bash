# lockorder-completion.bash - bash completion for lockorder(1).
#
# Installed as share/bash-completion/completions/lockorder, where
# bash-completion loads it the first time `lockorder` is completed; or
# source it from ~/.bashrc.  It completes the subcommands, each one's
# options (test/tools/docs.test checks that they are those its --help
# lists), the values of --format, rules files for --rules (*.lockorder, and
# the names of the installed rules), compile_commands.json for -p, the command after build's "--",
# summaries and objects for merge and graph, and files and directories
# elsewhere.
#
# What it does NOT do: need bash-completion (only bash's own compgen and
# compopt), or run lockorder.

_lockorder_commands="rules explain clangd graph merge check build help"

# The options of subcommand $1, as its --help lists them.
_lockorder_options()
{
	case $1 in
	rules)
		echo "-h --help" ;;
	explain)
		echo "--rules -h --help" ;;
	check)
		echo "-p --rules -j --jobs --format -o --output --baseline" \
		     "--update-baseline --all --cross-file-only --plugin --clang" \
		     "--keep-summaries -v --verbose -h --help" ;;
	merge)
		echo "--rules --all --format -o --output --baseline" \
		     "--update-baseline --stats -h --help" ;;
	graph)
		echo "--rules -o --output --format -h --help" ;;
	build)
		echo "--rules --format -o --output --baseline --update-baseline" \
		     "--all --cross-file-only --plugin --objects -v --verbose" \
		     "-h --help --" ;;
	clangd)
		echo "--rules --plugin --clang --clangd --timeout --debounce" \
		     "-h --help --" ;;
	esac
}

# Whether option $2 of subcommand $1 takes a value.
_lockorder_takes_value()
{
	case $2 in
	-p|--rules|-j|--jobs|--format|-o|--output|--baseline|--update-baseline|\
	--plugin|--clang|--clangd|--keep-summaries|--timeout|--debounce|\
	--objects)
		return 0 ;;
	esac
	return 1
}

# The names of the installed rules: PREFIX/share/lockorder/rules/*.lockorder
# beside the lockorder on $PATH.
_lockorder_rule_names()
{
	local bin dir f
	bin=$(type -P lockorder 2>/dev/null) || return
	dir=${bin%/*}/../share/lockorder/rules
	for f in "$dir"/*.lockorder; do
		[ -e "$f" ] || continue
		f=${f##*/}
		echo "${f%.lockorder}"
	done
}

# Adds to COMPREPLY the files starting with $1 that match one of the globs
# $2... (every file when there is none, or it is empty) and the
# directories starting with $1.
_lockorder_files()
{
	local cur=$1 glob IFS=$'\n'
	shift
	compopt -o filenames 2>/dev/null
	if [ $# -eq 0 ] || [ -z "$1" ]; then
		COMPREPLY+=($(compgen -f -- "$cur"))
	else
		for glob in "$@"; do
			COMPREPLY+=($(compgen -f -X "!$glob" -- "$cur"))
		done
	fi
	COMPREPLY+=($(compgen -d -- "$cur"))
}

_lockorder()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev="" cmd="" i w
	COMPREPLY=()

	# "--rules=x": bash splits at '=' (COMP_WORDBREAKS); take it back
	if [ "$COMP_CWORD" -ge 1 ]; then
		prev=${COMP_WORDS[COMP_CWORD-1]}
	fi
	if [ "$cur" = "=" ]; then
		cur=""
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
		prev=${COMP_WORDS[COMP_CWORD-2]}
	fi
	if [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
	fi

	# the subcommand: the first word after lockorder not an option
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w != -* ]]; then
			cmd=$w
			break
		fi
	done

	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_lockorder_commands" -- "$cur"))
		fi
		return 0
	fi
	if [ "$cmd" = help ]; then
		[ "$i" -eq $((COMP_CWORD - 1)) ] &&
			COMPREPLY=($(compgen -W "${_lockorder_commands% help}" -- "$cur"))
		return 0
	fi

	# after "--", clangd's own arguments (files), build's command
	for ((i = i + 1; i < COMP_CWORD; i++)); do
		if [ "${COMP_WORDS[i]}" = "--" ]; then
			[ "$cmd" = build ] && [ "$i" -eq $((COMP_CWORD - 1)) ] &&
				COMPREPLY=($(compgen -c -- "$cur"))
			_lockorder_files "$cur" ""
			return 0
		fi
	done

	if [[ $prev == -* ]] && _lockorder_takes_value "$cmd" "$prev"; then
		case $prev in
		--rules)
			COMPREPLY=($(compgen -W "$(_lockorder_rule_names)" -- "$cur"))
			_lockorder_files "$cur" "*.lockorder" ;;
		-p)
			_lockorder_files "$cur" "*.json" ;;
		--format)
			if [ "$cmd" = graph ]; then
				COMPREPLY=($(compgen -W "dot svg png pdf" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "text json sarif html" -- "$cur"))
			fi ;;
		--baseline|--update-baseline)
			_lockorder_files "$cur" "*.json" ;;
		--keep-summaries)
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -d -- "$cur")) ;;
		--plugin)
			_lockorder_files "$cur" "*.so" ;;
		--objects)
			_lockorder_files "$cur" "*.o" "*.a" ;;
		--clang|--clangd)
			COMPREPLY=($(compgen -c -- "$cur"))
			_lockorder_files "$cur" "" ;;
		-o|--output)
			_lockorder_files "$cur" "" ;;
		esac
		return 0
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_lockorder_options "$cmd")" -- "$cur"))
		return 0
	fi
	case $cmd in
	rules|explain)
		_lockorder_files "$cur" "*.lockorder" ;;
	merge|graph)
		# summary files, and the objects, archives and ld -r links
		# the plugin embedded them in
		_lockorder_files "$cur" "*.lockorder.json" "*.o" "*.a" ;;
	esac
	return 0
}

complete -F _lockorder lockorder
