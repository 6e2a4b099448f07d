# bash completion for qcqlab (installed as share/bash-completion/completions/qcqlab).
# Options; session files after -x; command names (asked of qcqlab itself, so the list is
# never out of date) inside -c '...'.

_qcqlab_commands()
{
	qcqlab -c help 2>/dev/null | awk '/^  [a-z]/ { print $1 }'
}

_qcqlab()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	case $prev in
	-x)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -X '!*.qcq' -- "$cur") $(compgen -d -- "$cur"))
		return
		;;
	-c)
		# the first word of the text: a command name
		local word=${cur#\'}
		word=${word#\"}
		COMPREPLY=($(compgen -W "$(_qcqlab_commands)" -- "$word"))
		return
		;;
	--jobs)
		COMPREPLY=($(compgen -W "1 2 4 8" -- "$cur"))
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-c -x --json --empty --jobs -h --help --version" -- "$cur"))
		return
	fi
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$cur"))
}

complete -F _qcqlab qcqlab
