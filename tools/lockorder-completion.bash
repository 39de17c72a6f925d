# lockorder-completion.bash - placeholder bash completion for lockorder:
# subcommands, and the options of each.  The full completion replaces it.
_lockorder()
{
	local cur=${COMP_WORDS[COMP_CWORD]} opts
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "rules explain clangd graph merge check help" -- "$cur"))
		return
	fi
	case ${COMP_WORDS[1]} in
	check) opts="-p --rules -j --format -o --baseline --update-baseline --all --cross-file-only --plugin --clang --keep-summaries -v --help" ;;
	merge) opts="--rules --all --format -o --baseline --update-baseline --help" ;;
	graph) opts="--rules -o --help" ;;
	clangd) opts="--rules --plugin --clang --clangd --help" ;;
	explain) opts="--rules --help" ;;
	*) opts="--help" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _lockorder lockorder
