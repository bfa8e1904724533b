/* SPDX-License-Identifier: MIT */
/*
 * candor: entry point, command table, help texts and the helpers shared by
 * the commands (config and lexicon loading).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/alloc.h"
#include "common/err.h"
#include "common/log.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
    const char *help;
};

static const struct command commands[] = {
    { "replay", cmd_replay,
      "rebuild daily aggregates from NDJSON post dumps (plain or .gz)",
      "usage: candor replay [--config FILE] [--data DIR] [--lexicon FILE]\n"
      "                     [--source NAME] [--field KEY=NAME]... FILE...\n"
      "\n"
      "Reads posts (one JSON object per line; plain or gzip, several files, '-'\n"
      "for standard input), analyzes each distinct post (source + id) once, and\n"
      "writes for every day that received posts, under the data directory:\n"
      "  daily/YYYY-MM-DD.json.gz        header line, then one row per\n"
      "                                  (source, brand, category)\n"
      "  daily/YYYY-MM-DD.csv.gz         the same rows for spreadsheets\n"
      "  complaints/YYYY-MM-DD.ndjson.gz every flagged post with its evidence\n"
      "A day's files are rebuilt from the posts of that day found in the inputs,\n"
      "so running the same replay again gives byte-identical files. Files are\n"
      "replaced atomically. Posts wait in a temporary file in the data directory\n"
      "(about 100 bytes each) until all inputs are read; memory stays flat.\n"
      "\n"
      "options:\n"
      "  --config FILE     config (brands, lexicon, data_dir, timezone, field names)\n"
      "  --data DIR        data directory (default: the config's data_dir, else ./data)\n"
      "  --lexicon FILE    lexicon to use instead of the config's\n"
      "  --source NAME     source name for posts without a \"source\" field\n"
      "                    (default: ndjson)\n"
      "  --field KEY=NAME  read post field KEY (id, text, source, created_at, author,\n"
      "                    url, lang) from NAME, a dotted path (e.g. author=account.acct)\n"
      "  --shard I/N       do shard I (from 0) of N: count only the posts whose\n"
      "                    (source, day) falls in it and write parts under\n"
      "                    DATA/parts/DAY/I-of-N/ for `candor merge` (docs/SCALE.md);\n"
      "                    auto/N takes I from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX\n"
      "  --quiet           no summary on stderr\n"
      "\n"
      "exit status: 0 all input read, 3 some input skipped (bad lines, truncated\n"
      "gzip, posts without a usable created_at; each reported as FILE:LINE: ...),\n"
      "1 failure (output not written), 2 usage or config error, 75 another run,\n"
      "fetch or replay holds the data directory's lock, 143 stopped by\n"
      "SIGTERM (nothing written). With --shard (for schedulers): 0 done (bad lines\n"
      "are reported, not fatal), 65 usage, config or an input missing or not\n"
      "readable to its end, 75 failure worth retrying, 143 SIGTERM.\n" },
    { "analyze", cmd_analyze,
      "classify NDJSON posts from stdin, NDJSON verdicts to stdout",
      "usage: candor analyze [--config FILE] [--lexicon FILE] [--threshold X] [--stats]\n"
      "                      [FILE...]\n"
      "\n"
      "A Unix filter. Reads posts, one JSON object per line with at least \"id\" and\n"
      "\"text\" (optional source, created_at, author, url, lang), from the files\n"
      "named or from standard input, and writes one verdict per input line, in\n"
      "order:\n"
      "  {\"id\":...,\"complaint\":true|false,\"categories\":[...],\"brands\":[...],\n"
      "   \"score\":N,\"lang\":\"en\",\"evidence\":[{\"rule\":...,\"category\":...,\n"
      "   \"match\":...,\"start\":N,\"end\":N}]}\n"
      "categories are strongest first; start/end are byte offsets in the text.\n"
      "A bad line (invalid JSON, no text, invalid UTF-8) gives {\"id\":...,\"error\":...}\n"
      "and a warning naming the line on stderr; processing goes on.\n"
      "--stats prints on stderr, at the end, what the lexicon cost per post:\n"
      "prefilter hits (automaton states where literals end), candidate patterns,\n"
      "PCRE2 runs; then the 10 patterns whose PCRE2 runs took the most time.\n"
      "\n"
      "exit status: 0 every line analyzed, 3 some lines were bad, 1 failure,\n"
      "2 usage or config error.\n" },
    { "explain", cmd_explain,
      "show every rule, negation and cue applied to one text",
      "usage: candor explain [--config FILE] [--lexicon FILE] [--threshold X] [TEXT...]\n"
      "\n"
      "Classifies TEXT (the arguments joined by spaces, or standard input when\n"
      "there are none) and prints every rule that fired with its span and weight,\n"
      "each negation and cue applied, the brands found, the per-category scores,\n"
      "the threshold and the verdict. For analysts tuning a lexicon.\n" },
    { "lexicon", cmd_lexicon,
      "lexicon tools: `candor lexicon check FILE...`",
      "usage: candor lexicon check FILE...\n"
      "       candor lexicon version FILE\n"
      "\n"
      "check: compiles each lexicon and reports every error as FILE:LINE: message\n"
      "(and warnings, e.g. rules without a prefilter literal); exit status 0 when\n"
      "all are valid, 1 otherwise. version: prints the lexicon's version (the\n"
      "first 16 hex digits of the SHA-256 of its bytes).\n" },
    { "parse", cmd_parse,
      "run a source adapter over a saved API response, posts as NDJSON",
      "usage: candor parse --kind KIND [--option KEY=VALUE]... [--headers FILE]\n"
      "                    [--status N] [--name NAME] [--cursor C] FILE|-\n"
      "\n"
      "Runs the adapter KIND (mastodon, bluesky, reddit, hackernews, lemmy,\n"
      "generic) over one saved response body, as `candor fetch` would over a page\n"
      "it received, and prints the posts it extracts as NDJSON (the fields\n"
      "`candor analyze` and `candor replay` read). The next cursor goes to stderr.\n"
      "No network and no login: options naming environment variables are ignored.\n"
      "\n"
      "options:\n"
      "  --kind KIND        the adapter\n"
      "  --option KEY=VALUE a source option, as in the config's source object\n"
      "  --headers FILE     response headers (\"Name: value\" lines; an HTTP status\n"
      "                     line sets the status), e.g. for a Link header\n"
      "  --status N         the HTTP status the body came with (default 200)\n"
      "  --name NAME        the source name written into each post\n"
      "  --cursor C         the cursor the page was requested with\n"
      "\n"
      "exit status: 0 parsed, 3 parsed with some items skipped, 1 the body could\n"
      "not be parsed (FILE: position: message), 2 usage error.\n" },
    { "config", cmd_config,
      "check a config file: `candor config check --config FILE`",
      "usage: candor config check --config FILE [--source NAME]...\n"
      "\n"
      "Checks everything that can be known before fetching, and reports every\n"
      "problem at once, one per line as FILE:LINE: key.path: message:\n"
      "  - unknown keys, wrong types and bad values (top level and every source);\n"
      "  - secrets: an *_env key naming an environment variable that is not set\n"
      "    (only for the sources that would be fetched: enabled ones, or those\n"
      "    named with --source);\n"
      "  - the data directory: it, or its first existing parent, must be a\n"
      "    writable directory (and so must its existing subdirectories);\n"
      "  - the lexicon: found, readable, and it compiles.\n"
      "Nothing is fetched or written. `candor run` runs the same check first.\n"
      "\n"
      "exit status: 0 valid, 2 invalid, 1 failure (out of memory).\n" },
    { "fetch", cmd_fetch,
      "fetch the configured sources from their checkpoints and archive every page",
      "usage: candor fetch --config FILE [--source NAME]... [--max-pages N]\n"
      "                    [--since DATE] [--max-runtime SECONDS] [--data DIR]\n"
      "\n"
      "Fetches each configured source (all enabled ones, or those named with\n"
      "--source) from its checkpoint, several sources at once, the pages of one\n"
      "source in order. Every page is appended raw to\n"
      "  DATA/archive/SOURCE/YYYY-MM-DD/RUN.ndjson.gz   (fetch day, UTC)\n"
      "and fsynced before the source's checkpoint DATA/state/SOURCE.json moves on,\n"
      "so a crash loses nothing. `candor replay DATA/archive` rebuilds the days.\n"
      "429s wait as the API says, 5xx and network errors back off and retry a few\n"
      "times; a source that still fails stops for this run and the others go on.\n"
      "\n"
      "options:\n"
      "  --config FILE        the config listing the sources (required)\n"
      "  --data DIR           data directory (default: the config's data_dir)\n"
      "  --source NAME        fetch only this source (repeatable; also a disabled one)\n"
      "  --max-pages N        at most N pages per source in this run\n"
      "  --since DATE         where a source without a checkpoint starts\n"
      "                       (YYYY-MM-DD or ISO-8601; default: the newest page)\n"
      "  --max-runtime SECS   stop waiting and fetching after SECS seconds\n"
      "  --progress, --no-progress   progress lines on stderr (default: on a terminal)\n"
      "  --quiet              no progress and no summary\n"
      "  --timeout SECS       per request (default 120); --connect-timeout SECS (15)\n"
      "  --stall-timeout SECS abort a transfer slower than 1 byte/s for SECS (30)\n"
      "  --tries N            tries per request, the first included (5)\n"
      "  --backoff SECS       first backoff (2), doubled up to --backoff-max SECS (120)\n"
      "  --max-wait SECS      longest rate-limit wait accepted (900)\n"
      "  --max-body BYTES     largest decoded response (16 MiB)\n"
      "  --ca-file PATH       CA certificates (a file, or a directory ending in '/')\n"
      "Proxies come from http_proxy, https_proxy and no_proxy. Secrets come only\n"
      "from the environment variables the config names and are never logged.\n"
      "\n"
      "exit status: 0 every source ok, 4 some sources failed (see the summary),\n"
      "1 the run failed or was stopped by a signal, 2 usage or config error,\n"
      "75 another fetch or run holds the data directory's lock (DATA/.lock).\n" },
    { "report", cmd_report,
      "render the daily files of a period as one static HTML page",
      "usage: candor report [--config FILE] [--data DIR] [--from DAY] [--to DAY]\n"
      "                     [--days N] [--out FILE] [--now TIME] [--recent N] [--quiet]\n"
      "\n"
      "Writes one self-contained HTML file (inline CSS and SVG, no scripts, no\n"
      "network; readable on a phone and in print) from the daily files of the\n"
      "period: complaints per day per brand stacked by category, with the share\n"
      "of posts; brands x categories against the previous period of equal\n"
      "length; the rules that fired most; the newest complaint texts with their\n"
      "evidence highlighted; the lexicon versions; the sources' completeness\n"
      "from runs/DAY.ndjson (a day with a failed source is marked). Only the\n"
      "days of the period and of the previous period are read. See docs/REPORT.md.\n"
      "\n"
      "options:\n"
      "  --data DIR     data directory (default: the config's data_dir, else ./data)\n"
      "  --from DAY     first day (default: --to minus --days plus one)\n"
      "  --to DAY       last day (default: the newest day with a daily file)\n"
      "  --days N       period length when --from is not given (default 28)\n"
      "  --out FILE     output file, replaced atomically (default DATA/report.html)\n"
      "  --now TIME     show \"generated at TIME\" (ISO-8601 or epoch seconds); else\n"
      "                 SOURCE_DATE_EPOCH when set; else no time is shown, so the\n"
      "                 same data always gives the same bytes\n"
      "  --recent N     complaint texts shown (default 20)\n"
      "\n"
      "exit status: 0 written, 3 written but some input was skipped (each problem\n"
      "reported as FILE:LINE: message), 1 failure or no daily file, 2 usage error.\n" },
    { "merge", cmd_merge,
      "rebuild daily files from the parts of a sharded replay",
      "usage: candor merge [--config FILE] [--data DIR] [--from DAY] [--to DAY]\n"
      "                    [--shards N] [--quiet]\n"
      "\n"
      "For every day with parts under DATA/parts/ (in the range), loads all N\n"
      "parts I-of-N written by `candor replay --shard I/N` and writes\n"
      "daily/DAY.json.gz, daily/DAY.csv.gz and complaints/DAY.ndjson.gz: the same\n"
      "bytes as one unsharded replay of the same inputs. Each day is rebuilt from\n"
      "the full set of its parts, so a rerun shard never counts twice. A day with\n"
      "a missing, corrupt or inconsistent part is refused, naming the part, and\n"
      "nothing of it is written; the other days are merged.\n"
      "\n"
      "options:\n"
      "  --data DIR    data directory (default: the config's data_dir, else ./data)\n"
      "  --from DAY    first day to merge (YYYY-MM-DD); --to DAY the last\n"
      "  --shards N    use the parts of N shards when a day holds parts of several\n"
      "  --quiet       no summary on stderr unless a day was refused\n"
      "\n"
      "exit status: 0 every day merged, 65 a day refused or a usage/config error,\n"
      "75 an I/O failure (retry), 143 stopped by SIGTERM.\n" },
    { "run", cmd_run,
      "the scheduled batch: fetch, archive, rebuild the days that got posts, metrics",
      "usage: candor run --config FILE [--max-runtime SECONDS] [--wait]\n"
      "                  [--log-format text|json] [--source NAME]... [--quiet]\n"
      "                  [--shard I/N | --shard auto/N]\n"
      "\n"
      "For cron or a systemd timer. In order:\n"
      "  1. checks the config like `candor config check` (nothing is fetched or\n"
      "     written when it is invalid);\n"
      "  2. takes the lock DATA/.lock (flock: released by the kernel when the\n"
      "     process ends, however it ends);\n"
      "  3. fetches every enabled source (or those named with --source) from its\n"
      "     checkpoint, archiving every page; a failing source does not stop the\n"
      "     others;\n"
      "  4. rebuilds the daily files of every day that received posts, each from\n"
      "     all archived pages holding posts of that day (so the result does not\n"
      "     depend on earlier runs having been killed or repeated);\n"
      "  5. appends one line per source to DATA/runs/YYYY-MM-DD.ndjson, refreshes\n"
      "     the report (`candor report`), runs `candor alerts` when asked, and\n"
      "     writes DATA/metrics/candor.prom (Prometheus textfile format).\n"
      "On a terminal it shows progress per source; otherwise it prints nothing\n"
      "unless something failed. See docs/OPERATIONS.md.\n"
      "\n"
      "options:\n"
      "  --config FILE        the config (required)\n"
      "  --max-runtime SECS   stop fetching after SECS seconds (sources resume from\n"
      "                       their checkpoints next run); also bounds --wait\n"
      "  --wait               wait for another run's lock instead of exiting 75\n"
      "  --log-format json    log lines as JSON objects (for log shippers)\n"
      "  --source NAME        fetch only this source (repeatable)\n"
      "  --quiet              no progress display\n"
      "  --tries N            tries per HTTP request, the first included (default 5)\n"
      "  --backoff SECS       first backoff after a 5xx or network error (2), doubled\n"
      "                       up to --backoff-max SECS (120)\n"
      "  --no-report          do not refresh the report (DATA/report.html)\n"
      "  --alerts             run `candor alerts` after the report (alerts as NDJSON\n"
      "                       on stdout); --webhook-env NAME also posts them to the\n"
      "                       URL held by environment variable NAME\n"
      "  --shard I/N          one shard of a run (I from 0; auto/N: I from\n"
      "                       $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX): only\n"
      "                       the sources whose FNV-1a-64(name) mod N is I; DATA/.lock\n"
      "                       taken shared plus DATA/.lock.I-of-N exclusive, so the\n"
      "                       N shards run together and an unsharded run or fetch\n"
      "                       excludes them; state under DATA/state/shard-I-of-N/;\n"
      "                       instead of daily files, a part DATA/parts/DAY/I-of-N/\n"
      "                       for every day its sources' posts changed and for every\n"
      "                       day with parts of other shards but not its own (empty\n"
      "                       when its sources have none that day); no report or\n"
      "                       alerts: run `candor merge --shards N` after all N\n"
      "                       (docs/SCALE.md); metrics in\n"
      "                       DATA/metrics/candor-shard-I-of-N.prom\n"
      "\n"
      "exit status: 0 all sources ok, 4 partial (some sources failed; their names\n"
      "on stderr), 1 failed (nothing usable fetched, or files could not be\n"
      "written: the previous files stay), 2 usage or config error, 75 another run\n"
      "holds the lock. With --shard (the scheduler contract): 0 ok, 75 retry\n"
      "(a lock is held, some sources failed after their retries, an I/O\n"
      "failure), 65 usage or config error, 143 stopped by SIGTERM (parts\n"
      "already written are whole; the next run of the shard redoes the rest).\n" },
    { "prune", cmd_prune,
      "remove archive segments older than N days whose days are built",
      "usage: candor prune --config FILE --archive-days N [--dry-run] [--wait]\n"
      "\n"
      "Removes the archive segments of fetch days more than N days ago (UTC), but\n"
      "only those already in published daily files: a segment `candor run` has\n"
      "indexed at its current size is in every day it holds posts of. Newer or\n"
      "not yet processed segments stay. The days of removed segments are marked\n"
      "as pruned in DATA/state/days/DAY.segs: a late post for such a day no longer\n"
      "rebuilds it (the run warns instead), so its numbers never shrink.\n"
      "Takes the lock like `candor run` (exit 75 when held; --wait to wait).\n"
      "\n"
      "exit status: 0 done, 1 failure, 2 usage or config error, 75 lock held.\n" },
    { "alerts", cmd_alerts,
      "say when a brand's complaints in a category jump (NDJSON, webhook)",
      "usage: candor alerts [--config FILE] [--data DIR] [--day DAY]\n"
      "                     [--baseline-days N] [--min-baseline-days N] [--min-count N]\n"
      "                     [--min-ratio X] [--max-p X] [--webhook-env NAME] [--quiet]\n"
      "\n"
      "For each brand and category with complaints on DAY (default: the newest\n"
      "daily file), compares the count with the days before it: lambda is the\n"
      "mean per day over the baseline plus half a complaint, and p = P(X >= count)\n"
      "for X ~ Poisson(lambda). An alert needs p <= max-p, count >= min-count and\n"
      "count / lambda >= min-ratio. Days with posts but no complaints count as\n"
      "zero; days without a daily file are left out of the baseline (and said).\n"
      "Prints one JSON object per alert, strongest first:\n"
      "  {\"brand\":...,\"category\":...,\"day\":...,\"count\":N,\"baseline\":X,\n"
      "   \"expected\":X,\"ratio\":X,\"score\":X,\"p\":X,\"baseline_days\":N,\n"
      "   \"missing_days\":N,\"samples\":[ids]}      (score = -log10 p)\n"
      "See docs/REPORT.md.\n"
      "\n"
      "options:\n"
      "  --day DAY              the day to test\n"
      "  --baseline-days N      days before DAY in the baseline (default 28)\n"
      "  --min-baseline-days N  fewer days with a daily file: no alert (default 7)\n"
      "  --min-count N          smallest count that may alert (default 5)\n"
      "  --min-ratio X          smallest count / lambda that may alert (default 2)\n"
      "  --max-p X              largest p that may alert (default 0.001)\n"
      "  --webhook-env NAME     POST {\"day\":...,\"alerts\":[...]} to the URL held by the\n"
      "                         environment variable NAME when alerts were raised\n"
      "                         (retries on 5xx; the URL is never printed)\n"
      "\n"
      "exit status: 0 no alert, 5 alerts raised, 1 failure (also: the webhook could\n"
      "not be delivered; the alerts are still printed), 2 usage error.\n" },
    { "help", NULL, "show help for a command", "usage: candor help [COMMAND]\n" },
    { NULL, NULL, NULL, NULL },
};

int cli_help(const char *command)
{
    const struct command *c;

    if (command == NULL) {
        printf("candor %s: daily numbers on public complaints about dishonest sales practices\n"
               "\n"
               "usage: candor COMMAND [OPTIONS]\n"
               "\n"
               "commands:\n", CND_VERSION);
        for (c = commands; c->name; c++) {
            printf("  %-9s %s\n", c->name, c->summary);
        }
        printf("\n"
               "Run `candor help COMMAND` for a command's options and exit statuses.\n"
               "Logs go to stderr; set CANDOR_LOG=debug|info|warn|error for more or less.\n");
        return CLI_OK;
    }
    for (c = commands; c->name; c++) {
        if (strcmp(c->name, command) == 0) {
            fputs(c->help, stdout);
            return CLI_OK;
        }
    }
    fprintf(stderr, "candor: no command '%s'; see `candor help`\n", command);
    return CLI_USAGE;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "candor %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see `candor help %s`)\n", command);
    return CLI_USAGE;
}

int cli_parse_double(const char *s, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end != '\0') {
        return -1;
    }
    *out = v;
    return 0;
}

int cli_load_config(const char *path, struct cnd_config *cfg)
{
    char err[8192];
    int ret;

    if (path == NULL) {
        cnd_config_defaults(cfg);
        return 0;
    }
    err[0] = '\0';
    ret = cnd_config_load(path, cfg, err, sizeof(err));
    if (ret < 0) {
        size_t n = strlen(err);

        if (n == 0) {
            fprintf(stderr, "%s: %s\n", path, cnd_strerror(ret));
        } else {
            fprintf(stderr, "%s%s", err, err[n - 1] == '\n' ? "" : "\n");
        }
        return CLI_USAGE;
    }
    return 0;
}

static int readable(const char *path)
{
    return access(path, R_OK) == 0;
}

/* lexicons/en.lex found from the binary's location (build tree or install). */
static int lexicon_near_binary(char *out, size_t outlen)
{
    static const char *const rel[] = {
        "/../lexicons/en.lex",       /* build/candor in the source tree */
        "/../../lexicons/en.lex",    /* build/sub/candor */
        "/../share/candor/en.lex",   /* installed under a prefix */
    };
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    size_t i;
    char *slash;

    if (n <= 0) {
        return 0;
    }
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (slash == NULL) {
        return 0;
    }
    *slash = '\0';
    for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
        if ((size_t)snprintf(out, outlen, "%s%s", exe, rel[i]) < outlen && readable(out)) {
            return 1;
        }
    }
    return 0;
}

int cli_load_analyzer(const struct cnd_config *cfg, const char *override, double threshold,
                      struct cnd_lexicon **lex, struct cnd_analyzer **an)
{
    char found[PATH_MAX + 64];
    const char *path = override;
    struct cnd_buf errors;
    int err = 0;

    if (path == NULL) {
        path = cfg->lexicon;
    }
    if (path == NULL) {
        path = getenv("CANDOR_LEXICON");
    }
    if (path == NULL && lexicon_near_binary(found, sizeof(found))) {
        path = found;
    }
    if (path == NULL && readable(CND_DATADIR "/en.lex")) {
        path = CND_DATADIR "/en.lex";
    }
    if (path == NULL) {
        fprintf(stderr, "candor: no lexicon found: give --lexicon FILE or set \"lexicon\" "
                        "in the config (looked beside the binary and in %s)\n", CND_DATADIR);
        return CLI_USAGE;
    }
    cnd_buf_init(&errors, 1 << 20);
    *lex = cnd_lexicon_load(path, &errors, &err);
    if (*lex == NULL) {
        if (errors.len) {
            fputs(errors.data, stderr);
        } else {
            fprintf(stderr, "%s: cannot load lexicon: %s\n", path, cnd_strerror(err));
        }
        cnd_buf_release(&errors);
        return err == CND_ENOMEM ? CLI_FAIL : CLI_USAGE;
    }
    cnd_buf_release(&errors);
    if (threshold < 0) {
        threshold = cfg->threshold;
    }
    *an = cnd_analyzer_new(*lex, cfg->brands, cfg->n_brands, threshold, &err);
    if (*an == NULL) {
        fprintf(stderr, "candor: cannot set up the analyzer: %s\n", cnd_strerror(err));
        cnd_lexicon_free(*lex);
        *lex = NULL;
        return CLI_FAIL;
    }
    return 0;
}

static void set_log_level_from_env(void)
{
    const char *lvl = getenv("CANDOR_LOG");

    if (lvl == NULL) {
        return;
    }
    if (strcmp(lvl, "debug") == 0) {
        cnd_log_set_level(CND_LOG_DEBUG);
    } else if (strcmp(lvl, "info") == 0) {
        cnd_log_set_level(CND_LOG_INFO);
    } else if (strcmp(lvl, "warn") == 0) {
        cnd_log_set_level(CND_LOG_WARN);
    } else if (strcmp(lvl, "error") == 0) {
        cnd_log_set_level(CND_LOG_ERROR);
    }
}

int main(int argc, char **argv)
{
    const struct command *c;
    const char *name;

    set_log_level_from_env();
    if (argc < 2) {
        cli_help(NULL);
        return CLI_USAGE;
    }
    name = argv[1];
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        return cli_help(argc > 2 ? argv[2] : NULL);
    }
    if (strcmp(name, "version") == 0 || strcmp(name, "--version") == 0) {
        printf("candor %s\n", CND_VERSION);
        return CLI_OK;
    }
    for (c = commands; c->name; c++) {
        if (c->fn && strcmp(c->name, name) == 0) {
            int i;

            for (i = 2; i < argc; i++) {
                if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
                    return cli_help(name);
                }
                if (strcmp(argv[i], "--") == 0) {
                    break;
                }
            }
            return c->fn(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "candor: no command '%s'; see `candor help`\n", name);
    return CLI_USAGE;
}
