"""The `presidium` command's subcommands, grouped by what they serve: the congress database's
life (`database`), the people on its register (`register`), the paper it prints (`paper`), the
reports read during the congress (`reports`), the roles' passphrases (`roles`) and the terminals
(`terminals`). Each `cmd_*` takes the parsed arguments and returns the exit status; a refusal is
raised, for `presidium.cli.main` to say."""
