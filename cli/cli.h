/* SPDX-License-Identifier: MIT */
/*
 * The command-line tool: a thin layer over the libraries. Each command is
 * a function taking argc/argv (argv[0] is the command name) and returning
 * the process exit status documented in its help text.
 */
#ifndef CND_CLI_H
#define CND_CLI_H

#include "analyze/analyze.h"
#include "common/config.h"

/* Exit statuses shared by all commands (see `candor help`). */
enum {
    CLI_OK = 0,
    CLI_FAIL = 1,      /* runtime failure (I/O, out of memory) */
    CLI_USAGE = 2,     /* bad usage or configuration */
    CLI_SKIPPED = 3,   /* done, but some input was skipped (reported on stderr) */
    CLI_PERMANENT = 65, /* scheduler-facing commands: permanent input/config error (EX_DATAERR) */
    CLI_RETRY = 75,    /* scheduler-facing commands: transient failure, retry (EX_TEMPFAIL) */
};

int cmd_alerts(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_lexicon(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_prune(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/*
 * Stop signals for long commands (cli/cmd_replay.c): cli_stop_install()
 * makes SIGTERM and SIGINT set a flag (no restart of system calls);
 * cli_stop_requested() returns the signal number or 0; a command polls it
 * and stops cleanly, publishing nothing partial, with cli_stop_status()
 * (128 + signal: 143 for SIGTERM). Between cli_stop_reading(1) and (0)
 * (an input loop that may block on a pipe, with nothing of ours on disk)
 * the process exits by itself 20 s after the signal if still blocked.
 */
void cli_stop_install(void);
int cli_stop_requested(void);
void cli_stop_reading(int on);
int cli_stop_status(void);
/* Maps a CLI_* status to the scheduler contract: 0, 65, 75 or 128 + signal. */
int cli_scheduler_status(int status);

/* Prints the help of "command" (NULL: the overview) to stdout; 0 or CLI_USAGE. */
int cli_help(const char *command);
/* Prints "candor COMMAND: MESSAGE" and a hint to stderr; returns CLI_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Loads the config file "path" (NULL: defaults) into "cfg", printing every
 * error to stderr. Returns 0 or CLI_USAGE.
 */
int cli_load_config(const char *path, struct cnd_config *cfg);

/*
 * Finds and compiles the lexicon: "override" (--lexicon), else the
 * config's "lexicon", else $CANDOR_LEXICON, else lexicons/en.lex beside the
 * binary's source tree, else the installed copy. Then makes an analyzer
 * with the config's brands. Prints errors; returns 0, CLI_USAGE or CLI_FAIL.
 */
int cli_load_analyzer(const struct cnd_config *cfg, const char *override, double threshold,
                      struct cnd_lexicon **lex, struct cnd_analyzer **an);

/* Parses a decimal number option; returns 0 or -1. */
int cli_parse_double(const char *s, double *out);

#endif
