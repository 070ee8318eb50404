/*
 * cmd_report.c: senco report caseload|reviews|gap|attendance|on-track|
 * provision|impact|exclusions|cluster: the caseload's figures for
 * governors' papers, the trust and the cluster panel, as an aligned
 * table, CSV/TSV or markdown.
 *
 * The figures come from core/report.h (what the dashboard shows),
 * core/figures.h (what only reports need), and core/outcome.h and
 * core/ehc.h (attainment, attendance, EHC plans); this file lays them
 * out.
 * Every report starts with the school's name and the date: as two lines
 * in a table, a heading in markdown, and as the first two columns of
 * every CSV line (so that returns from several schools can be put in
 * one spreadsheet and still say where each line came from).
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_report.h"
#include "core/derive.h"
#include "core/ehc.h"
#include "core/figures.h"
#include "core/outcome.h"
#include "core/report.h"
#include "core/xmalloc.h"
#include "io/csv.h"
#include "io/doc.h"
#include "io/table.h"

/* --- the document: sheets of rows in any format --------------------------------- */

enum rformat { RF_TABLE = 0, RF_CSV, RF_TSV, RF_MD };

#define MAX_COLS 16
#define MAX_LEAD 2

/* One table of a report, with a caption and notes under it. */
struct sheet {
	const char *caption;
	int ncols;
	const char *headers[MAX_COLS];
	bool right[MAX_COLS];
	const char **cells;		/* nrows * ncols, in text */
	int nrows;
	size_t cap;			/* cells' room, in cells */
	struct text_pool text;		/* the cells' text */
	char **notes;			/* paragraphs under the table */
	int nnotes;
};

struct rdoc {
	enum rformat f;
	const char *title;		/* "Caseload report" */
	const char *school;
	sdate date;
	/* More columns that CSV puts after School and Date ("From"). */
	const char *lead_names[MAX_LEAD];
	char lead_values[MAX_LEAD][DATE_ISO_LEN];
	int nlead;
	struct sheet *sheets;
	int nsheets;
	char **notes;			/* under the heading */
	int nnotes;
};

static struct sheet *
sheet_new(struct rdoc *d, const char *caption, int ncols,
    const char *const headers[], const bool right[])
{
	struct sheet *s;

	d->sheets = xreallocarray(d->sheets, (size_t)d->nsheets + 1,
	    sizeof *d->sheets);
	s = &d->sheets[d->nsheets++];
	memset(s, 0, sizeof *s);
	s->caption = caption;
	s->ncols = ncols;
	/* a long report's cells in 2 MB pages (report_calloc): 5 MB of
	 * them took 1,300 faults in 4 KB pages */
	text_pool_init(&s->text, report_calloc);
	for (int i = 0; i < ncols; i++) {
		s->headers[i] = headers[i];
		s->right[i] = right != NULL && right[i];
	}
	return s;
}

/* Room for n more rows: a long report that knows its length makes its
 * cells' array once, not in doublings that copy it. */
static void
sheet_reserve(struct sheet *s, int n)
{
	if (n > 0)
		s->cells = report_grow(s->cells, &s->cap, (size_t)(s->nrows +
		    n) * (size_t)s->ncols - 1, sizeof *s->cells);
}

/* Add a row of s->ncols cells (NULL is empty): copied, except those
 * whose bit (1u << column) is in kept, which the caller keeps unchanged
 * until the sheet is freed (a pupil's name: copying 62,000 rows' cells
 * was 7% of the reviews report). */
static void
sheet_add_kept(struct sheet *s, const char *const cells[], unsigned kept)
{
	const char **to;

	s->cells = report_grow(s->cells, &s->cap, (size_t)(s->nrows + 1) *
	    (size_t)s->ncols - 1, sizeof *s->cells);
	to = s->cells + (size_t)s->nrows * (size_t)s->ncols;
	for (int i = 0; i < s->ncols; i++)
		if (cells[i] == NULL)
			to[i] = "";
		else if (kept & (1u << i))
			to[i] = cells[i];
		else
			to[i] = text_pool_copy(&s->text, cells[i]);
	s->nrows++;
}

/* Add a row of s->ncols cells (copied; NULL is empty). */
static void
sheet_add(struct sheet *s, const char *const cells[])
{
	sheet_add_kept(s, cells, 0);
}

static void
add_note(char ***notes, int *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add_note(char ***notes, int *n, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc(len > 0 ? (size_t)len + 1 : 1);
	s[0] = '\0';
	va_start(ap, fmt);
	if (len > 0)
		vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	*notes = xreallocarray(*notes, (size_t)*n + 1, sizeof **notes);
	(*notes)[(*n)++] = s;
}

#define SHEET_NOTE(s, ...) add_note(&(s)->notes, &(s)->nnotes, __VA_ARGS__)
#define DOC_NOTE(d, ...) add_note(&(d)->notes, &(d)->nnotes, __VA_ARGS__)

static void
rdoc_free(struct rdoc *d)
{
	for (int i = 0; i < d->nsheets; i++) {
		struct sheet *s = &d->sheets[i];

		text_pool_free(&s->text);
		free(s->cells);
		for (int k = 0; k < s->nnotes; k++)
			free(s->notes[k]);
		free(s->notes);
	}
	free(d->sheets);
	for (int k = 0; k < d->nnotes; k++)
		free(d->notes[k]);
	free(d->notes);
}

static void
lead(struct rdoc *d, const char *name, sdate value)
{
	d->lead_names[d->nlead] = name;
	date_iso(value, d->lead_values[d->nlead]);
	d->nlead++;
}

/* Text for people, wrapped at 79 columns (notes and headings). */
static void
put_para(const char *s)
{
	doc_wrap(stdout, s, 0, 0, 79);
}

static void
print_aligned(const struct rdoc *d)
{
	char date[16];

	put_para(d->school);
	printf("%s, %s\n", d->title, date_show(d->date, date));
	for (int k = 0; k < d->nnotes; k++)
		put_para(d->notes[k]);
	for (int i = 0; i < d->nsheets; i++) {
		const struct sheet *s = &d->sheets[i];

		printf("\n");
		put_para(s->caption);
		if (s->nrows > 0)
			table_print_cells(stdout, TABLE_ALIGNED, s->ncols,
			    s->headers, s->right,
			    (const char *const *)s->cells, s->nrows);
		for (int k = 0; k < s->nnotes; k++)
			put_para(s->notes[k]);
	}
}

static void
print_md(const struct rdoc *d)
{
	char date[16];

	fputs("# ", stdout);
	doc_md(stdout, d->school);
	fputs("\n\n## ", stdout);
	doc_md(stdout, d->title);
	printf(", %s\n", date_show(d->date, date));
	for (int k = 0; k < d->nnotes; k++) {
		fputc('\n', stdout);
		doc_md(stdout, d->notes[k]);
		fputc('\n', stdout);
	}
	for (int i = 0; i < d->nsheets; i++) {
		const struct sheet *s = &d->sheets[i];

		fputs("\n### ", stdout);
		doc_md(stdout, s->caption);
		fputs("\n\n", stdout);
		if (s->nrows > 0)
			doc_md_table(stdout, s->ncols, s->headers, s->right,
			    (const char *const *)s->cells, s->nrows);
		for (int k = 0; k < s->nnotes; k++) {
			if (s->nrows > 0 || k > 0)
				fputc('\n', stdout);
			doc_md(stdout, s->notes[k]);
			fputc('\n', stdout);
		}
	}
}

/*
 * CSV or TSV: one table whatever the sheets. Its columns are School,
 * Date, the lead columns, Section (when there is more than one sheet),
 * then every sheet's columns in the order they first appear; a row
 * leaves the columns of other sheets empty.
 */
static void
print_delimited(const struct rdoc *d)
{
	const char *names[3 + MAX_LEAD + MAX_COLS * 4];
	int n = 0, fixed, map[MAX_COLS];
	bool sections = d->nsheets > 1;
	enum table_format tf = d->f == RF_TSV ? TABLE_TSV : TABLE_CSV;
	char date[DATE_ISO_LEN];
	const char **row;

	names[n++] = "School";
	names[n++] = "Date";
	for (int k = 0; k < d->nlead; k++)
		names[n++] = d->lead_names[k];
	if (sections)
		names[n++] = "Section";
	fixed = n;
	for (int i = 0; i < d->nsheets; i++)
		for (int c = 0; c < d->sheets[i].ncols; c++) {
			int k;

			for (k = fixed; k < n; k++)
				if (strcmp(names[k], d->sheets[i].headers[c]) ==
				    0)
					break;
			if (k == n)
				names[n++] = d->sheets[i].headers[c];
		}
	/* each line written as it is made: a table of them all would
	 * copy every cell of a long report again */
	table_write_row(stdout, names, n, tf);
	row = xcalloc((size_t)n, sizeof *row);
	date_iso(d->date, date);
	for (int i = 0; i < d->nsheets; i++) {
		const struct sheet *s = &d->sheets[i];

		for (int c = 0; c < s->ncols; c++)
			for (map[c] = fixed; map[c] < n; map[c]++)
				if (strcmp(names[map[c]], s->headers[c]) == 0)
					break;
		for (int r = 0; r < s->nrows; r++) {
			int k = 0;

			for (int c = 0; c < n; c++)
				row[c] = "";
			row[k++] = d->school;
			row[k++] = date;
			for (int l = 0; l < d->nlead; l++)
				row[k++] = d->lead_values[l];
			if (sections)
				row[k++] = s->caption;
			for (int c = 0; c < s->ncols; c++)
				row[map[c]] = s->cells[r * s->ncols + c];
			table_write_row(stdout, row, n, tf);
		}
	}
	free(row);
}

static void
rdoc_print(const struct rdoc *d)
{
	switch (d->f) {
	case RF_CSV:
	case RF_TSV:
		print_delimited(d);
		break;
	case RF_MD:
		print_md(d);
		break;
	default:
		print_aligned(d);
		break;
	}
}

/* --- cells ----------------------------------------------------------------------- */

/* Machine formats want bare numbers; people want units. */
static bool
for_people(enum rformat f)
{
	return f == RF_TABLE || f == RF_MD;
}

static char *
num(int v, char *buf, size_t n)
{
	char tmp[16], *p = tmp + sizeof tmp;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	size_t len;

	/* by hand: snprintf per cell was a long report's cost */
	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	len = (size_t)(tmp + sizeof tmp - p);
	if (len > n)
		snprintf(buf, n, "%d", v);	/* cut as before */
	else
		memcpy(buf, p, len);
	return buf;
}

/* "12.5%" (or "12.5" in CSV); "" when there is no whole to share. */
static char *
pct(enum rformat f, int part, int whole, char *buf, size_t n)
{
	if (whole <= 0)
		buf[0] = '\0';
	else
		snprintf(buf, n, "%.1f%s", report_pct(part, whole),
		    for_people(f) ? "%" : "");
	return buf;
}

/* A mean with `places` decimals, or "" when there is none ("-" for
 * people, who would wonder at a blank). */
static char *
mean(enum rformat f, double x, int places, char *buf, size_t n)
{
	if (isnan(x))
		snprintf(buf, n, "%s", for_people(f) ? "-" : "");
	else
		snprintf(buf, n, "%.*f", places, x);
	return buf;
}

static char *
money(enum rformat f, int64_t pence, char *buf, size_t n)
{
	return cli_show_money(pence, for_people(f) ? TABLE_ALIGNED : TABLE_CSV,
	    buf, n);
}

#define DAY_MEMO 512

static char *
day(enum rformat f, sdate d, char *buf)
{
	/* The dates written, by date (DAY_MEMO of them, each in the slot
	 * d % DAY_MEMO): a long report's rows share a few hundred dates,
	 * and writing each afresh (snprintf) was 8% of the reviews
	 * report's work; the EHC plans' rows alternate between dates. */
	static struct {
		bool set;
		sdate d;
		char text[DATE_ISO_LEN];
	} memo[DAY_MEMO];
	static bool memo_people;
	static enum date_style memo_style;
	bool people = for_people(f);
	enum date_style style = date_get_style();
	unsigned h = (unsigned)d % DAY_MEMO;

	if (people != memo_people || style != memo_style) {
		for (h = 0; h < DAY_MEMO; h++)
			memo[h].set = false;
		memo_people = people;
		memo_style = style;
		h = (unsigned)d % DAY_MEMO;
	}
	if (!memo[h].set || memo[h].d != d) {
		if (people)
			date_show(d, memo[h].text);
		else
			date_iso(d, memo[h].text);
		memo[h].set = true;
		memo[h].d = d;
	}
	memcpy(buf, memo[h].text, sizeof memo[h].text);
	return buf;
}

/* "Year 4", "Reception", "Nursery (N1)". */
static char *
year_label(const char *year, char *buf, size_t n)
{
	if (strcmp(year, "R") == 0)
		snprintf(buf, n, "Reception");
	else if (year[0] == 'N')
		snprintf(buf, n, "Nursery (%s)", year);
	else if (year[0] == '\0')
		snprintf(buf, n, "No year group");
	else
		snprintf(buf, n, "Year %s", year);
	return buf;
}

static const char *
school_name(const struct cli *c)
{
	const char *s = c->cfg->school_name;

	return s != NULL && *s != '\0' ? s : "(school name not set)";
}

/* --- options --------------------------------------------------------------------- */

enum {
	OPT_FORMAT = 1, OPT_DAYS = 2, OPT_TODAY = 4, OPT_FROM = 8, OPT_TO = 16,
	OPT_MERGE = 32
};

struct ropts {
	enum rformat f;
	int days;
	sdate today, from, to;
	bool merge;
};

static int
parse_format(struct cli *c, const char *s, enum rformat *f)
{
	if (strcasecmp(s, "table") == 0)
		*f = RF_TABLE;
	else if (strcasecmp(s, "csv") == 0)
		*f = RF_CSV;
	else if (strcasecmp(s, "tsv") == 0)
		*f = RF_TSV;
	else if (strcasecmp(s, "md") == 0 || strcasecmp(s, "markdown") == 0)
		*f = RF_MD;
	else
		return cli_usage(c, "format '%s' is not table, csv, tsv or md",
		    s);
	return 0;
}

/*
 * The options of one report; `allowed` says which it takes. Returns -1
 * to go on (positional arguments from optind), else an exit status (0
 * after printing the help).
 */
static int
parse_opts(struct cli *c, int argc, char **argv, int allowed,
    struct ropts *o)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "days", required_argument, NULL, 'd' },
		{ "today", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "merge", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct { int ch, bit; const char *name; } need[] = {
		{ 'd', OPT_DAYS, "--days" }, { 't', OPT_TODAY, "--today" },
		{ 'F', OPT_FROM, "--from" }, { 'T', OPT_TO, "--to" },
		{ 'm', OPT_MERGE, "--merge" },
	};
	long v;
	int ch, st;

	memset(o, 0, sizeof *o);
	o->days = FIG_DEFAULT_DAYS;
	o->today = o->from = o->to = SDATE_NONE;
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
			if (need[i].ch == ch && !(allowed & need[i].bit))
				return cli_usage(c, "%s is not an option of "
				    "this report", need[i].name);
		switch (ch) {
		case 'f':
			if ((st = parse_format(c, optarg, &o->f)) != 0)
				return st;
			break;
		case 'd':
			if ((st = cli_int(c, optarg, "--days", 0, 3660,
			    &v)) != 0)
				return st;
			o->days = (int)v;
			break;
		case 't':
			if ((st = cli_date(optarg, "--today", &o->today)) != 0)
				return st;
			break;
		case 'F':
			if ((st = cli_date(optarg, "--from", &o->from)) != 0)
				return st;
			break;
		case 'T':
			if ((st = cli_date(optarg, "--to", &o->to)) != 0)
				return st;
			break;
		case 'm':
			o->merge = true;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if (o->today == SDATE_NONE)
		o->today = date_today();
	if (!o->merge && optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	return -1;
}

/* Open the caseload for a report: read once, in passes
 * (report_read_once). Returns an exit status. */
static int
open_reading(struct cli *c, struct db **db)
{
	struct serr e;
	int st;

	if ((st = cli_open(c, false, db)) != 0)
		return st;
	/* A report to a file or a pipe goes out in 64 KB writes, not 4 KB
	 * (a reviews report at 100,000 pupils is 6 MB); to a terminal, as
	 * it comes. */
	if (!isatty(STDOUT_FILENO)) {
		static char buf[1 << 16];	/* glibc takes no size alone */

		setvbuf(stdout, buf, _IOFBF, sizeof buf);
	}
	serr_clear(&e);
	if (report_read_once(*db, &e) != 0) {
		db_close(*db);
		*db = NULL;
		return cli_fail(&e);
	}
	return 0;
}

/* Open the caseload read-only in spirit (reports never write) and load
 * the register snapshot. Returns an exit status. */
static int
load_caseload(struct cli *c, const struct ropts *o, unsigned parts,
    struct db **db, struct report_caseload *cl)
{
	struct serr e;
	int st;

	memset(cl, 0, sizeof *cl);
	if ((st = open_reading(c, db)) != 0)
		return st;
	serr_clear(&e);
	if (report_caseload_read(*db, o->today, c->cfg->topup_pence, parts,
	    cl, &e) != 0) {
		st = cli_fail(&e);
		db_close(*db);
		*db = NULL;
		return st;
	}
	return 0;
}

static void
rdoc_init(struct rdoc *d, struct cli *c, const struct ropts *o,
    const char *title)
{
	memset(d, 0, sizeof *d);
	d->f = o->f;
	d->title = title;
	d->school = school_name(c);
	d->date = o->today;
}

/* --- caseload ---------------------------------------------------------------------- */

static void
caseload_row(struct sheet *s, enum rformat f, const char *code,
    const char *group, int count, int roll, int reg)
{
	char a[16], b[16], p[16];
	const char *row[5];

	row[0] = code;
	row[1] = group;
	row[2] = num(count, a, sizeof a);
	row[3] = pct(f, count, roll, b, sizeof b);
	row[4] = reg >= 0 ? pct(f, count, reg, p, sizeof p) : "";
	sheet_add(s, row);
}

static int
run_caseload(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = {
		"Code", "Group", "Pupils", "% of roll", "% of register"
	};
	static const bool right[] = { false, false, true, true, true };
	struct report_caseload cl;
	struct fig_caseload f;
	struct ropts o;
	struct rdoc d;
	struct sheet *s;
	struct db *db;
	int st, k;

	if ((st = parse_opts(c, argc, argv, OPT_FORMAT | OPT_TODAY, &o)) >= 0)
		return st;
	if ((st = load_caseload(c, &o, 0, &db, &cl)) != 0)
		return st;
	fig_caseload(&cl, c->cfg->roll, &f);
	rdoc_init(&d, c, &o, "Caseload report");
	if (f.roll_from_config)
		DOC_NOTE(&d, "Roll: %d pupils (from the configuration); %d on "
		    "roll in the caseload.", f.roll, f.on_roll);
	else if (f.roll_short)
		DOC_NOTE(&d, "Roll: %d pupils on roll in the caseload, more "
		    "than the %d in the configuration (which needs updating).",
		    f.roll, c->cfg->roll);
	else
		DOC_NOTE(&d, "Roll: %d pupils on roll in the caseload (no roll "
		    "in the configuration).", f.roll);

	s = sheet_new(&d, "SEN status", 5, h, right);
	caseload_row(s, o.f, "N", status_name('N'), f.n, f.roll, -1);
	caseload_row(s, o.f, "K", status_name('K'), f.k, f.roll, f.reg);
	caseload_row(s, o.f, "E", status_name('E'), f.e, f.roll, f.reg);
	caseload_row(s, o.f, "K+E", "On the SEN register", f.reg, f.roll,
	    f.reg);
	caseload_row(s, o.f, "", "Roll", f.roll, f.roll, -1);

	s = sheet_new(&d, "Broad area of primary need (K and E)", 5, h, right);
	for (k = 1; k <= AREA_COUNT; k++) {
		enum area a = (enum area)(k % AREA_COUNT);

		caseload_row(s, o.f, a == AREA_NONE ? "" : area_code(a),
		    a == AREA_NONE ? "No broad area (OTH, NSA or none "
		    "recorded)" : area_name(a), f.by_area[a], f.roll, f.reg);
	}

	s = sheet_new(&d, "Primary need (K and E)", 5, h, right);
	for (k = 0; k < NEED_CODE_COUNT; k++)
		caseload_row(s, o.f, need_codes[k].code, need_codes[k].name,
		    f.by_need[k], f.roll, f.reg);
	caseload_row(s, o.f, "", "No need recorded", f.no_need, f.roll, f.reg);

	rdoc_print(&d);
	rdoc_free(&d);
	report_caseload_free(&cl);
	db_close(db);
	return 0;
}

/* --- outcomes and EHC plans (issue 7) ------------------------------------------- */

/* A percentage already worked out: "64.0%" (or "64.0" in CSV), "" for
 * NAN ("-" for people). */
static char *
pct_value(enum rformat f, double v, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "%s", for_people(f) ? "-" : "");
	else
		snprintf(buf, n, "%.1f%s", v, for_people(f) ? "%" : "");
	return buf;
}

/* A national figure or gap as the config gives it: 74, 74.5, -5. */
static char *
figure(double v, char *buf, size_t n)
{
	if (isnan(v))
		buf[0] = '\0';
	else if (fabs(v - round(v)) < 0.05)
		snprintf(buf, n, "%.0f", round(v) + 0.0);
	else
		snprintf(buf, n, "%.1f", v);
	return buf;
}

static const char *const gap_group_words[OG_COUNT] = {
	"No SEN (N)", "SEN support (K)", "EHC plan (E)", "All SEN (K and E)",
	"All pupils",
};

/* The options of report gap and report attendance: --format, --today,
 * and --point/--subject or --term. Returns -1 to go on, else an exit
 * status. */
static int
outcome_opts(struct cli *c, int argc, char **argv, bool gap, struct ropts *o,
    const char **point, const char **subject, const char **term)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "today", required_argument, NULL, 't' },
		{ "point", required_argument, NULL, 'p' },
		{ "subject", required_argument, NULL, 's' },
		{ "term", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, st;

	memset(o, 0, sizeof *o);
	o->today = SDATE_NONE;
	*point = *subject = *term = NULL;
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		if ((ch == 'T' && gap) || ((ch == 'p' || ch == 's') && !gap))
			return cli_usage(c, "--%s is not an option of this "
			    "report", ch == 'T' ? "term" : ch == 'p' ? "point" :
			    "subject");
		switch (ch) {
		case 'f':
			if ((st = parse_format(c, optarg, &o->f)) != 0)
				return st;
			break;
		case 't':
			if ((st = cli_date(optarg, "--today", &o->today)) != 0)
				return st;
			break;
		case 'p':
			*point = optarg;
			break;
		case 's':
			*subject = optarg;
			break;
		case 'T':
			*term = optarg;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if (o->today == SDATE_NONE)
		o->today = date_today();
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	return -1;
}

static void
gap_row_add(struct sheet *s, enum rformat f, const struct gap_row *r,
    enum outcome_group g)
{
	const struct gap_cell *x = &r->g[g];
	char a[16], b[48], c[16], d[48], e[16], m[16], ns[16], p[16], q[16];
	char ge[16], gg[16], cmp[16];

	if (for_people(f)) {
		const char *row[] = {
			gap_group_words[g], num(x->pupils, a, sizeof a),
			outcome_gap_text(x->pct_expected, x->nat_expected, b,
			    sizeof b),
			figure(x->nat_expected, c, sizeof c),
			outcome_gap_text(x->pct_greater, x->nat_greater, d,
			    sizeof d),
			figure(x->nat_greater, e, sizeof e),
			mean(f, x->mean_score, 1, m, sizeof m),
			figure(x->nat_score, ns, sizeof ns),
		};

		sheet_add(s, row);
		return;
	}
	snprintf(cmp, sizeof cmp, "%s", x->nat_group ?
	    (char[]){ x->nat_group, '\0' } : isnan(x->nat_expected) &&
	    isnan(x->nat_greater) && isnan(x->nat_score) ? "" : "all");
	const char *row[] = {
		r->point, r->subject, outcome_group_code(g),
		num(x->pupils, a, sizeof a), num(x->expected, p, sizeof p),
		pct_value(f, x->pct_expected, b, sizeof b),
		figure(x->nat_expected, c, sizeof c),
		figure(x->gap_expected, ge, sizeof ge),
		num(x->greater, q, sizeof q),
		pct_value(f, x->pct_greater, d, sizeof d),
		figure(x->nat_greater, e, sizeof e),
		figure(x->gap_greater, gg, sizeof gg),
		mean(f, x->mean_score, 1, m, sizeof m),
		figure(x->nat_score, ns, sizeof ns), cmp,
	};
	sheet_add(s, row);
}

static int
run_gap(struct cli *c, int argc, char **argv)
{
	static const char *const hp[] = {
		"Group", "Pupils", "Expected or above", "National",
		"Greater depth", "National GD", "Mean score", "National score"
	};
	static const bool rp[] = {
		false, true, true, true, true, true, true, true
	};
	static const char *const hm[] = {
		"Point", "Subject", "Group", "Pupils", "Expected",
		"Expected %", "National expected %", "Expected gap",
		"Greater depth", "Greater depth %", "National greater depth %",
		"Greater depth gap", "Mean score", "National mean score",
		"National group"
	};
	const char *point, *subject, *term;
	struct gap_report g;
	char **captions;
	struct ropts o;
	struct rdoc d;
	struct db *db;
	struct serr e;
	int st;

	if ((st = outcome_opts(c, argc, argv, true, &o, &point, &subject,
	    &term)) >= 0)
		return st;
	if ((st = open_reading(c, &db)) != 0)
		return st;
	serr_clear(&e);
	if (outcome_gap(db, c->cfg, point, subject, &g, &e) != 0) {
		st = cli_fail(&e);
		db_close(db);
		return st;
	}
	db_close(db);
	rdoc_init(&d, c, &o, "Attainment gap");
	DOC_NOTE(&d, "Our pupils reaching the expected standard (or above) and "
	    "greater depth, by SEN status now, beside national figures from the "
	    "configuration, written \"ours (Gap = national minus ours)\" in "
	    "percentage points: a negative gap is ours above national. A band "
	    "is judged by the configured scale, a score from %g (expected) and "
	    "%g (greater depth), a reading or spelling age against the pupil's "
	    "age on the day.", c->cfg->expected_score,
	    c->cfg->greater_depth_score);
	if (g.n == 0)
		DOC_NOTE(&d, "No results recorded%s (senco results import).",
		    point != NULL || subject != NULL ? " for that" : "");
	captions = xcalloc(g.n > 0 ? (size_t)g.n : 1, sizeof *captions);
	for (int i = 0; i < g.n; i++) {
		const struct gap_row *r = &g.rows[i];
		struct sheet *s;

		xasprintf(&captions[i], "%s: %s", r->point, r->combined ?
		    "reading, writing and maths combined" : r->subject);
		s = for_people(o.f) ? sheet_new(&d, captions[i], 8, hp, rp) :
		    sheet_new(&d, captions[i], 15, hm, NULL);
		for (int k = 0; k < OG_COUNT; k++)
			if (r->g[k].pupils > 0 || k == OG_ALL)
				gap_row_add(s, o.f, r, (enum outcome_group)k);
		if (r->combined)
			SHEET_NOTE(s, "Pupils with results in all three; at the "
			    "expected standard (greater depth) in all three.");
		for (int k = OG_N; k <= OG_E; k++)
			if (r->g[k].pupils > 0 && r->g[k].nat_group != 0)
				SHEET_NOTE(s, "National figures for %s are those "
				    "of pupils with status %c nationally; the "
				    "others are for all pupils.",
				    gap_group_words[k], r->g[k].nat_group);
		if (r->g[OG_ALL].judged < r->g[OG_ALL].pupils)
			SHEET_NOTE(s, "%d result%s not judged (a reading age with "
			    "no date, or a band not on the scale).",
			    r->g[OG_ALL].pupils - r->g[OG_ALL].judged,
			    r->g[OG_ALL].pupils - r->g[OG_ALL].judged == 1 ?
			    "" : "s");
	}
	rdoc_print(&d);
	rdoc_free(&d);
	for (int i = 0; i < g.n; i++)
		free(captions[i]);
	free(captions);
	outcome_gap_free(&g);
	return 0;
}

static void
att_row_add(struct sheet *s, enum rformat f, const char *group,
    const struct att_cell *x)
{
	char a[16], b[16], p[16], q[16];
	const char *row[] = {
		group, num(x->pupils, a, sizeof a),
		pct_value(f, x->mean, b, sizeof b),
		num(x->persistent, p, sizeof p),
		pct_value(f, x->pct_persistent, q, sizeof q),
	};

	sheet_add(s, row);
}

/* National minus K, as the attainment gap: N's mean minus the group's. */
static char *
att_gap(enum rformat f, const struct att_term_row *t, enum outcome_group g,
    char *buf, size_t n)
{
	double v = t->g[OG_N].mean - t->g[g].mean;

	if (isnan(v))
		snprintf(buf, n, "%s", for_people(f) ? "-" : "");
	else
		snprintf(buf, n, "%.1f", v);
	return buf;
}

static int
run_attendance(struct cli *c, int argc, char **argv)
{
	static const char *const hs[] = {
		"Group", "Pupils", "Mean attendance", "Persistently absent",
		"% persistently absent"
	};
	static const char *const hn[] = {
		"Primary need", "Pupils", "Mean attendance",
		"Persistently absent", "% persistently absent"
	};
	static const bool right[] = { false, true, true, true, true };
	static const char *const ht[] = {
		"Term", "No SEN (N)", "SEN support (K)", "EHC plan (E)",
		"All pupils", "Gap N-K", "Gap N-E", "PA N", "PA K", "PA E"
	};
	static const bool rt[] = {
		false, true, true, true, true, true, true, true, true, true
	};
	const char *point, *subject, *term;
	char cap1[64], cap2[64];
	struct att_report a;
	struct ropts o;
	struct rdoc d;
	struct sheet *s;
	struct db *db;
	struct serr e;
	int st;

	if ((st = outcome_opts(c, argc, argv, false, &o, &point, &subject,
	    &term)) >= 0)
		return st;
	if ((st = open_reading(c, &db)) != 0)
		return st;
	serr_clear(&e);
	if (outcome_attendance(db, term, &a, &e) != 0) {
		st = cli_fail(&e);
		db_close(db);
		return st;
	}
	db_close(db);
	rdoc_init(&d, c, &o, "Attendance");
	DOC_NOTE(&d, "The mean of pupils' attendance for the term, by SEN "
	    "status now; persistently absent: below %.0f%%. Gaps are no SEN "
	    "minus the group, in percentage points.",
	    ATTENDANCE_PERSISTENT_BELOW);
	if (a.n_terms == 0)
		DOC_NOTE(&d, "No attendance recorded (senco attendance "
		    "import).");
	else {
		snprintf(cap1, sizeof cap1, "By SEN status, %s", a.term);
		s = sheet_new(&d, cap1, 5, hs, right);
		for (int g = 0; g < OG_COUNT; g++)
			if (a.g[g].pupils > 0 || g == OG_ALL)
				att_row_add(s, o.f, gap_group_words[g], &a.g[g]);
		snprintf(cap2, sizeof cap2, "By primary need (K and E), %s",
		    a.term);
		s = sheet_new(&d, cap2, 5, hn, right);
		for (int i = 0; i < a.n_needs; i++) {
			const struct need_code *nc = need_find(a.needs[i].code);

			att_row_add(s, o.f, nc != NULL ? nc->code :
			    "No need recorded", &a.needs[i].c);
		}
		if (a.n_needs == 0)
			SHEET_NOTE(s, "No pupil with SEN has attendance for %s.",
			    a.term);
		s = sheet_new(&d, "Every term: mean attendance and % "
		    "persistently absent", 10, ht, rt);
		for (int i = 0; i < a.n_terms; i++) {
			const struct att_term_row *t = &a.terms[i];
			char m[4][16], gk[16], ge[16], p[3][16];
			const char *row[] = {
				t->term,
				pct_value(o.f, t->g[OG_N].mean, m[0], 16),
				pct_value(o.f, t->g[OG_K].mean, m[1], 16),
				pct_value(o.f, t->g[OG_E].mean, m[2], 16),
				pct_value(o.f, t->g[OG_ALL].mean, m[3], 16),
				att_gap(o.f, t, OG_K, gk, sizeof gk),
				att_gap(o.f, t, OG_E, ge, sizeof ge),
				pct_value(o.f, t->g[OG_N].pct_persistent, p[0],
				    16),
				pct_value(o.f, t->g[OG_K].pct_persistent, p[1],
				    16),
				pct_value(o.f, t->g[OG_E].pct_persistent, p[2],
				    16),
			};

			sheet_add(s, row);
		}
	}
	rdoc_print(&d);
	rdoc_free(&d);
	outcome_attendance_free(&a);
	return 0;
}

/* The EHC plans' annual reviews and phase-transfer deadlines, as two
 * sheets of the reviews report, from *l, which the caller frees with
 * ehcp_list_free once the report is printed (the sheets keep its
 * pupils' text). Returns an exit status. */
static int
ehcp_sheets(struct rdoc *d, struct cli *c, struct db *db,
    const struct ropts *o, const struct report_caseload *cl,
    struct ehcp_list *l)
{
	static const char *const hr[] = {
		"UPN", "Name", "Year", "Plan", "Last review", "Report",
		"Review date", "Days", "When"
	};
	static const bool rr[] = {
		false, false, false, false, false, false, false, true, false
	};
	static const char *const ht[] = {
		"UPN", "Name", "Year", "Transfer to", "Transfer by", "Days",
		"When", "Reviewed", "Amended"
	};
	static const bool rt[] = {
		false, false, false, false, false, true, false, false, false
	};
	const unsigned pupil_text = 1u << 0 | 1u << 1 | 1u << 2;
	struct ehcp_pupil *pp;
	struct sheet *s, *t;
	struct serr e;
	int over = 0, tover = 0, nr = 0, nt = 0, n_pp, rc;

	serr_clear(&e);
	/* the pupils as the caseload read them: one pass of the pupil
	 * table, not two */
	n_pp = report_ehcp_pupils(cl, &pp);
	rc = n_pp >= 0 ? ehcp_reviews_of(db, c->cfg, o->today, pp, n_pp, l,
	    &e) : ehcp_reviews(db, c->cfg, o->today, l, &e);
	free(pp);
	if (rc != 0)
		return cli_fail(&e);
	/* Each sheet is filled before the next is made: sheet_new moves
	 * the sheets. */
	s = sheet_new(d, "EHC plans: annual reviews overdue and due", 9, hr,
	    rr);
	for (int i = 0; i < l->n; i++) {
		const struct ehcp_row *w = &l->v[i];
		char a[16], b[16], r[48], due[24], days[16], when[40], x[16];
		bool report_due = w->last_review != SDATE_NONE &&
		    w->report_on == SDATE_NONE;

		if (w->next.days_left <= o->days || report_due) {
			if (w->next.overdue || w->report_overdue)
				over++;
			nr++;
			/* no snprintf for the common cells: thousands of
			 * rows */
			if (!report_due)
				strcpy(r, w->report_on != SDATE_NONE ? "sent" :
				    "");
			else if (w->report_overdue)
				report_days_text("OVERDUE by ",
				    -w->report_days_left, r, sizeof r);
			else
				snprintf(r, sizeof r, "due %s", day(o->f,
				    w->report_due, x));
			/* a date (10 bytes at most) and 10 fit in 24 */
			day(o->f, w->next.due, due);
			if (w->under5 && for_people(o->f))
				strcat(due, " (under 5)");
			const char *row[] = {
				w->upn, w->name, w->year,
				day(o->f, w->plan_on, a),
				day(o->f, w->last_review, b), r, due,
				num(w->next.days_left, days, sizeof days),
				ehc_due_text(&w->next, when, sizeof when)
			};
			sheet_add_kept(s, row, pupil_text);
		}
	}
	if (nr == 0)
		SHEET_NOTE(s, "No EHC plan review is overdue or due in the next "
		    "%d days.", o->days);
	t = sheet_new(d, "EHC plans: phase transfer (reviewed and amended by "
	    "15 February; 31 March into post-16)", 9, ht, rt);
	for (int i = 0; i < l->n; i++) {
		const struct ehcp_row *w = &l->v[i];
		const struct ehcp_transfer *tr = &w->transfer;
		char a[16], b[16], days[16], when[40];

		if (tr->applies) {
			struct ehc_due td = { "transfer", tr->due,
			    tr->days_left, tr->overdue };
			char y[16];

			nt++;
			if (tr->overdue)
				tover++;
			const char *row[] = {
				w->upn, w->name, w->year, tr->to,
				day(o->f, tr->due, a),
				num(tr->days_left, days, sizeof days),
				tr->done ? "done" : ehc_due_text(&td, when,
				    sizeof when),
				day(o->f, tr->reviewed_on, b),
				day(o->f, tr->amended_on, y)
			};
			sheet_add_kept(t, row, pupil_text);
		}
	}
	if (nt == 0)
		SHEET_NOTE(t, "No pupil with an EHC plan is in a transfer year.");
	DOC_NOTE(d, "EHC plans: %d overdue (an annual review or its report); "
	    "%d phase transfer%s overdue. An annual review is due 12 months "
	    "after the plan or the last review (6 months under age 5); its "
	    "report 2 weeks after the meeting.", over, tover,
	    tover == 1 ? "" : "s");
	return 0;
}

/* --- reviews ----------------------------------------------------------------------- */

/* "overdue by 5 days", "today", "in 3 days" */
static char *
when_words(const struct report_review *r, char *buf, size_t n)
{
	int d = r->days < 0 ? -r->days : r->days;

	if (r->overdue)
		report_days_text("overdue by ", d, buf, n);
	else if (r->days == 0)
		snprintf(buf, n, "today");
	else
		report_days_text("in ", d, buf, n);
	return buf;
}

static int
run_reviews(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = {
		"UPN", "Name", "Year", "Status", "Need", "Review date",
		"Days", "When"
	};
	static const bool right[] = {
		false, false, false, false, false, false, true, false
	};
	struct report_caseload cl;
	struct report_review *v = NULL;
	struct ehcp_list l = { NULL, 0 };
	struct ropts o;
	struct rdoc d;
	struct sheet *s;
	struct db *db;
	int st, n, over, i;

	if ((st = parse_opts(c, argc, argv, OPT_FORMAT | OPT_TODAY | OPT_DAYS,
	    &o)) >= 0)
		return st;
	if ((st = load_caseload(c, &o, REPORT_DETAILS | REPORT_CYCLES, &db,
	    &cl)) != 0)
		return st;
	n = report_reviews(&cl, o.days, &v, &over);
	rdoc_init(&d, c, &o, "Reviews report");
	DOC_NOTE(&d, "%d review%s overdue; %d due in the next %d days.", over,
	    over == 1 ? "" : "s", n - over, o.days);
	s = sheet_new(&d, "Reviews overdue and due", 8, h, right);
	sheet_reserve(s, n);
	for (i = 0; i < n; i++) {
		const struct report_pupil *p = v[i].pupil;
		char st1[2] = { p->status, '\0' }, date[16], days[16], when[48];
		const char *row[8] = {
			p->upn, p->name, p->year, st1, p->need,
			day(o.f, v[i].review_date, date),
			num(v[i].days, days, sizeof days),
			when_words(&v[i], when, sizeof when)
		};

		/* the pupil's text lives in cl until after printing */
		sheet_add_kept(s, row, 1u << 0 | 1u << 1 | 1u << 2 | 1u << 4);
	}
	if (n == 0)
		SHEET_NOTE(s, "No review is overdue or due in the next %d days.",
		    o.days);
	if ((st = ehcp_sheets(&d, c, db, &o, &cl, &l)) == 0)
		rdoc_print(&d);
	rdoc_free(&d);
	ehcp_list_free(&l);
	free(v);
	report_caseload_free(&cl);
	db_close(db);
	return st;
}

/* --- on track ---------------------------------------------------------------------- */

static void
track_row(struct sheet *s, enum rformat f, const char *group,
    const struct report_track *t)
{
	char a[16], b[16], c[16], d[16], e[16], g[16];
	const char *row[8];

	row[0] = group;
	row[1] = num(t->pupils, a, sizeof a);
	row[2] = num(t->all, b, sizeof b);
	row[3] = pct(f, t->all, t->pupils, c, sizeof c);
	row[4] = num(t->half, d, sizeof d);
	row[5] = pct(f, t->half, t->pupils, e, sizeof e);
	row[6] = t->pupils == 0 ? "" : t->all_met && t->half_met ? "both" :
	    t->all_met ? "70% only" : t->half_met ? "90% only" : "neither";
	row[7] = num(t->no_targets, g, sizeof g);
	sheet_add(s, row);
}

static int
run_on_track(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = {
		"Group", "Pupils", "All on track", "% all",
		"Half or more", "% half", "Criteria met", "No targets"
	};
	static const bool right[] = {
		false, true, true, true, true, true, false, true
	};
	struct report_caseload cl;
	struct fig_track_row *rows = NULL;
	struct report_track t;
	struct ropts o;
	struct rdoc d;
	struct sheet *s;
	struct db *db;
	char label[64], words[128];
	int st, n, i;

	if ((st = parse_opts(c, argc, argv, OPT_FORMAT | OPT_TODAY, &o)) >= 0)
		return st;
	if ((st = load_caseload(c, &o, REPORT_YEAR | REPORT_TARGETS, &db,
	    &cl)) != 0)
		return st;
	rdoc_init(&d, c, &o, "Targets on track");
	DOC_NOTE(&d, "Criteria: at least %d%% of pupils with SEND have all "
	    "their targets on track, and %d%% at least half of them. Pupils "
	    "are those on the register with an open cycle and at least one "
	    "target to judge; 'No targets' counts those with none yet.",
	    REPORT_ALL_CRITERION_PCT, REPORT_HALF_CRITERION_PCT);
	report_on_track(&cl, NULL, NULL, &t);
	s = sheet_new(&d, "All pupils", 8, h, right);
	track_row(s, o.f, "All pupils", &t);
	if (t.pupils > 0)
		SHEET_NOTE(s, "%s: %.1f%% with all targets on track "
		    "(criterion %d%%: %s); %.1f%% with at least half "
		    "(criterion %d%%: %s).", "All pupils", t.pct_all,
		    REPORT_ALL_CRITERION_PCT, t.all_met ? "met" : "not met",
		    t.pct_half, REPORT_HALF_CRITERION_PCT,
		    t.half_met ? "met" : "not met");

	s = sheet_new(&d, "By year group", 8, h, right);
	n = fig_on_track(&cl, FIG_BY_YEAR, &rows);
	for (i = 0; i < n; i++)
		track_row(s, o.f, year_label(rows[i].key, label, sizeof label),
		    &rows[i].t);
	free(rows);
	s = sheet_new(&d, "By primary need", 8, h, right);
	n = fig_on_track(&cl, FIG_BY_NEED, &rows);
	for (i = 0; i < n; i++) {
		const struct need_code *nc = need_find(rows[i].key);

		snprintf(words, sizeof words, "%s", nc != NULL ? nc->code :
		    "No need recorded");
		track_row(s, o.f, words, &rows[i].t);
	}
	free(rows);
	if (t.with_cycle == 0)
		DOC_NOTE(&d, "No pupil on the register has an open cycle.");
	rdoc_print(&d);
	rdoc_free(&d);
	report_caseload_free(&cl);
	db_close(db);
	return 0;
}

/* --- provision -------------------------------------------------------------------- */

static int
run_provision(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = {
		"Intervention", "Area", "Pupils", "Sessions/week",
		"Hours/week", "Hours/year", "Cost/year", "Cost/pupil"
	};
	static const bool right[] = {
		false, false, true, true, true, true, true, true
	};
	static const char *const h2[] = {
		"UPN", "Name", "Year", "Status", "Need", "Cost/year"
	};
	static const bool right2[] = {
		false, false, false, false, false, true
	};
	struct report_caseload cl;
	struct report_provision pv;
	const struct report_pupil **over = NULL;
	struct ropts o;
	struct rdoc d;
	struct sheet *s;
	struct db *db;
	struct serr e;
	char threshold[32], caption[96];
	int st, i, n, idle = 0;
	double sessions = 0, hours = 0;

	if ((st = parse_opts(c, argc, argv, OPT_FORMAT | OPT_TODAY, &o)) >= 0)
		return st;
	/* the costs and the details of those over the top-up come with
	 * the provision, from one pass over the enrolments */
	if ((st = load_caseload(c, &o, 0, &db, &cl)) != 0)
		return st;
	serr_clear(&e);
	if (report_provision_read(db, o.today, &cl, &pv, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	rdoc_init(&d, c, &o, "Provision map");
	DOC_NOTE(&d, "Current provision (enrolments running on the date "
	    "above). A session shared by a group counts once for the group's "
	    "hours; costs are per year of %d school weeks.",
	    SCHOOL_WEEKS_PER_YEAR);
	s = sheet_new(&d, "Interventions", 8, h, right);
	for (i = 0; i < pv.n; i++) {
		const struct report_iv *v = &pv.ivs[i];
		char a[16], b[24], hw[24], hy[24], cy[32], cp[32];
		const char *row[8];

		if (v->pupils == 0) {
			idle++;
			continue;
		}
		snprintf(b, sizeof b, "%.1f", v->sessions_week);
		snprintf(hw, sizeof hw, "%.1f", v->hours_week);
		snprintf(hy, sizeof hy, "%.1f", v->hours_week *
		    SCHOOL_WEEKS_PER_YEAR);
		row[0] = v->name;
		row[1] = area_code(v->area);
		row[2] = num(v->pupils, a, sizeof a);
		row[3] = b;
		row[4] = hw;
		row[5] = hy;
		row[6] = money(o.f, v->cost_year_pence, cy, sizeof cy);
		row[7] = money(o.f, v->cost_pupil_pence, cp, sizeof cp);
		sheet_add(s, row);
		sessions += v->sessions_week;
		hours += v->hours_week;
	}
	{
		char a[16], b[24], hw[24], hy[24], cy[32], cp[32];
		const char *row[8];

		snprintf(b, sizeof b, "%.1f", sessions);
		snprintf(hw, sizeof hw, "%.1f", hours);
		snprintf(hy, sizeof hy, "%.1f", hours * SCHOOL_WEEKS_PER_YEAR);
		row[0] = "All provision";
		row[1] = "";
		row[2] = num(pv.pupils, a, sizeof a);
		row[3] = b;
		row[4] = hw;
		row[5] = hy;
		row[6] = money(o.f, pv.cost_year_pence, cy, sizeof cy);
		row[7] = pv.pupils > 0 ? money(o.f, (pv.cost_year_pence +
		    pv.pupils / 2) / pv.pupils, cp, sizeof cp) : "";
		sheet_add(s, row);
	}
	if (idle > 0)
		SHEET_NOTE(s, "%d intervention%s in the catalogue ha%s no pupil "
		    "at present.", idle, idle == 1 ? "" : "s",
		    idle == 1 ? "s" : "ve");

	derive_money(cl.topup_pence, threshold, sizeof threshold);
	snprintf(caption, sizeof caption, "Pupils above the top-up threshold "
	    "(%s a year)", threshold);
	s = sheet_new(&d, caption, 6, h2, right2);
	n = report_over_topup(&cl, &over);
	for (i = 0; i < n; i++) {
		const struct report_pupil *p = over[i];
		char st1[2] = { p->status, '\0' }, cy[32];
		const char *row[6] = {
			p->upn, p->name, p->year, st1, p->need,
			money(o.f, p->cost_year_pence, cy, sizeof cy)
		};

		sheet_add(s, row);
	}
	if (n == 0)
		SHEET_NOTE(s, "No pupil's provision costs more than %s a year.",
		    threshold);
	free(over);
	rdoc_print(&d);
	rdoc_free(&d);
	report_provision_free(&pv);
	st = 0;
out:
	report_caseload_free(&cl);
	db_close(db);
	return st;
}

/* --- impact ---------------------------------------------------------------------- */

static int
run_impact(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = {
		"Intervention", "Measure", "Finished", "Scored",
		"Entry", "Exit", "Gain", "Aged", "Ratio gain"
	};
	static const bool right[] = {
		false, false, true, true, true, true, true, true, true
	};
	struct fig_impact *v = NULL;
	struct ropts o;
	struct rdoc d;
	struct sheet *s;
	struct db *db;
	struct serr e;
	int st, n = 0, i;

	if ((st = parse_opts(c, argc, argv, OPT_FORMAT | OPT_TODAY, &o)) >= 0)
		return st;
	if ((st = open_reading(c, &db)) != 0)
		return st;
	serr_clear(&e);
	if (fig_impact_load(db, &v, &n, &e) != 0) {
		st = cli_fail(&e);
		db_close(db);
		return st;
	}
	rdoc_init(&d, c, &o, "Impact of interventions");
	DOC_NOTE(&d, "Over the pupils who finished each intervention, pupils "
	    "who have left included. Scored: those with an entry and an exit "
	    "score; Entry, Exit and Gain (exit minus entry) are their means. "
	    "Aged: those measured by an age in months over a month or more; "
	    "Ratio gain is their mean of months gained per month elapsed (1 "
	    "is the progress expected of any pupil, 2 or more is good).");
	s = sheet_new(&d, "Interventions", 9, h, right);
	for (i = 0; i < n; i++) {
		char measure[MEASURE_MAX + 32], a[16], b[16], en[24], ex[24],
		    g[24], r[16], rg[24];
		const char *row[9];

		snprintf(measure, sizeof measure, "%s", v[i].measure[0] ?
		    v[i].measure : v[i].kind == MEASURE_AGE ? "(an age in "
		    "months)" : v[i].kind == MEASURE_RATING ? "(a rating)" :
		    "(a score)");
		row[0] = v[i].name;
		row[1] = measure;
		row[2] = num(v[i].finished, a, sizeof a);
		row[3] = num(v[i].n, b, sizeof b);
		row[4] = mean(o.f, v[i].mean_entry, 1, en, sizeof en);
		row[5] = mean(o.f, v[i].mean_exit, 1, ex, sizeof ex);
		row[6] = mean(o.f, v[i].mean_gain, 1, g, sizeof g);
		row[7] = num(v[i].n_ratio, r, sizeof r);
		row[8] = mean(o.f, v[i].mean_ratio, 2, rg, sizeof rg);
		sheet_add(s, row);
	}
	if (n == 0)
		SHEET_NOTE(s, "No pupil has finished an intervention yet.");
	rdoc_print(&d);
	rdoc_free(&d);
	free(v);
	db_close(db);
	return 0;
}

/* --- exclusions ---------------------------------------------------------------------- */

static void
exclusion_row(struct sheet *s, enum rformat f, const char *measure,
    const int count[FIG_GROUPS], const int base[FIG_GROUPS], bool rate)
{
	char cells[FIG_GROUPS][2][24];
	const char *row[1 + 2 * FIG_GROUPS];

	row[0] = measure;
	for (int g = 0; g < FIG_GROUPS; g++) {
		row[1 + 2 * g] = num(count[g], cells[g][0], sizeof cells[g][0]);
		if (base == NULL)
			row[2 + 2 * g] = "";
		else if (rate && base[g] > 0)
			/* suspensions per 100 pupils: a rate, not a share,
			 * so it can pass 100 */
			row[2 + 2 * g] = (snprintf(cells[g][1],
			    sizeof cells[g][1], "%.2f", 100.0 * count[g] /
			    base[g]), cells[g][1]);
		else
			row[2 + 2 * g] = pct(f, count[g], base[g], cells[g][1],
			    sizeof cells[g][1]);
	}
	sheet_add(s, row);
}

static int
run_exclusions(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = {
		"Measure", "N", "N rate", "K", "K rate", "E", "E rate",
		"All", "All rate"
	};
	static const bool right[] = {
		false, true, true, true, true, true, true, true, true
	};
	struct fig_exclusions x;
	struct ropts o;
	struct rdoc d;
	struct sheet *s;
	struct db *db;
	struct serr e;
	char a[16], b[16];
	int st;

	if ((st = parse_opts(c, argc, argv, OPT_FORMAT | OPT_TODAY | OPT_FROM |
	    OPT_TO, &o)) >= 0)
		return st;
	if (o.to == SDATE_NONE)
		o.to = o.today;
	if (o.from == SDATE_NONE)
		o.from = fig_academic_year_start(o.to);
	if (o.from > o.to)
		return cli_usage(c, "the period starts (%s) after it ends (%s)",
		    date_show(o.from, a), date_show(o.to, b));
	if ((st = open_reading(c, &db)) != 0)
		return st;
	serr_clear(&e);
	if (fig_exclusions_load(db, o.from, o.to, c->cfg->roll, &x, &e) != 0) {
		st = cli_fail(&e);
		db_close(db);
		return st;
	}
	rdoc_init(&d, c, &o, "Exclusions by SEN status");
	lead(&d, "From", o.from);
	lead(&d, "To", o.to);
	DOC_NOTE(&d, "From %s to %s, by SEN status: N no SEN, K SEN support, "
	    "E EHC plan. Each pupil counts in the group of the status they "
	    "had at the end of the period, or when they left. The rate of "
	    "suspensions is per 100 pupils of the group; the other rates are "
	    "the %% of the group.", date_show(o.from, a), date_show(o.to, b));
	if (c->cfg->roll > 0)
		DOC_NOTE(&d, "The No SEN group includes the rest of the "
		    "configured roll of %d.", c->cfg->roll);
	s = sheet_new(&d, "Exclusions", 9, h, right);
	exclusion_row(s, o.f, "Pupils", x.pupils, NULL, false);
	exclusion_row(s, o.f, "Suspensions (rate per 100 pupils)",
	    x.suspensions, x.pupils, true);
	exclusion_row(s, o.f, "Sessions lost to suspension", x.sessions,
	    NULL, false);
	exclusion_row(s, o.f, "Pupils with one or more suspensions",
	    x.one_plus, x.pupils, false);
	exclusion_row(s, o.f, "Pupils with two or more suspensions",
	    x.two_plus, x.pupils, false);
	exclusion_row(s, o.f, "Permanent exclusions", x.permanent, x.pupils,
	    false);
	rdoc_print(&d);
	rdoc_free(&d);
	db_close(db);
	return 0;
}

/* --- cluster ------------------------------------------------------------------------ */

static const char *const return_headers[] = {
	"School", "Date", "Measure", "Group", "Count", "Base", "Percent"
};
#define RETURN_COLS 7

/* Print a return: in CSV its fixed layout, for people a table. */
static void
print_return(const struct fig_return *r, enum rformat f, char **notes,
    int nnotes)
{
	static const bool right[] = { false, false, true, true, true };
	struct rdoc d;
	struct sheet *s = NULL;
	struct table *t = NULL;
	char date[DATE_ISO_LEN] = "";

	memset(&d, 0, sizeof d);
	if (f == RF_CSV || f == RF_TSV) {
		t = table_new(RETURN_COLS, return_headers);
		date_iso(r->date, date);
	} else {
		d.f = f;
		d.title = r->returns > 1 ? "Cluster return (merged)" :
		    "Cluster return";
		d.school = r->school;
		d.date = r->date;
		d.notes = notes;
		d.nnotes = nnotes;
		s = sheet_new(&d, "Counts and rates (no names, no UPNs)", 5,
		    return_headers + 2, right);
	}
	for (int i = 0; i < r->n; i++) {
		const struct fig_line *l = &r->lines[i];
		const struct fig_cell *base = l->base >= 0 ?
		    &r->lines[l->base].cell : NULL;
		char count[32], bbuf[32], pbuf[32];
		const char *row[RETURN_COLS];

		fig_cell_show(&l->cell, count, sizeof count);
		if (base != NULL)
			fig_cell_show(base, bbuf, sizeof bbuf);
		else
			bbuf[0] = '\0';
		if (base == NULL || l->plain)
			pbuf[0] = '\0';
		else
			fig_pct_show(&l->cell, base, pbuf, sizeof pbuf);
		row[0] = r->school;
		row[1] = date;
		row[2] = l->measure;
		row[3] = l->group;
		row[4] = count;
		row[5] = bbuf;
		row[6] = pbuf;
		if (t != NULL)
			table_add(t, row);
		else
			sheet_add(s, row + 2);
	}
	if (t != NULL) {
		table_print(t, stdout, f == RF_TSV ? TABLE_TSV : TABLE_CSV);
		table_free(t);
		return;
	}
	SHEET_NOTE(s, "<5: a count from 1 to 4. c: withheld, so that a small "
	    "count cannot be worked out from a total; or a percentage of a "
	    "count or base that is not known exactly. >=N: at least N, a sum "
	    "with suppressed parts (a <5 counts 1, a c 5).");
	rdoc_print(&d);
	d.notes = NULL;
	d.nnotes = 0;
	rdoc_free(&d);
}

static int
return_fail(const char *path, int line, const char *why)
{
	if (line > 0)
		return cli_error(EX_DATAERR, "%s:%d: %s", path, line, why);
	return cli_error(EX_DATAERR, "%s: %s", path, why);
}

/*
 * Read a return as print_return writes it in CSV into *r (a layout of
 * its own window of days). Returns an exit status.
 */
static int
read_return(const char *path, struct fig_return *r)
{
	struct csv_reader *rd = NULL;
	struct csv_record rec;
	struct serr e;
	enum csv_encoding enc;
	char *text = NULL, why[256];
	size_t len;
	bool *seen = NULL;
	int rc, st = 0, days = -1, i;

	memset(r, 0, sizeof *r);
	serr_clear(&e);
	if (csv_read_file(path, &text, &len, &enc, &e) != 0)
		return cli_fail(&e);
	/* First pass: the window of days the return counts reviews over,
	 * which names one of its lines. */
	rd = csv_open(text, len, ',');
	while ((rc = csv_next(rd, &rec, path, &e)) == 1)
		if (rec.n == RETURN_COLS && strcmp(rec.fields[2], "reviews") ==
		    0 && sscanf(rec.fields[3], "due within %d days", &days) == 1)
			break;
	csv_close(rd);
	rd = NULL;
	if (rc < 0) {
		st = cli_fail(&e);
		goto out;
	}
	if (days < 0) {
		st = return_fail(path, 0, "not a senco cluster return (no line "
		    "for reviews due)");
		goto out;
	}
	fig_return_layout(r, days);
	seen = xcalloc((size_t)r->n, sizeof *seen);
	rd = csv_open(text, len, ',');
	if ((rc = csv_next(rd, &rec, path, &e)) != 1 ||
	    rec.n != RETURN_COLS) {
		st = rc < 0 ? cli_fail(&e) : return_fail(path, 1, "not a senco "
		    "cluster return (the first line is not its header)");
		goto out;
	}
	for (i = 0; i < RETURN_COLS; i++)
		if (strcasecmp(rec.fields[i], return_headers[i]) != 0) {
			st = return_fail(path, rec.line, "not a senco cluster "
			    "return (the first line is not its header)");
			goto out;
		}
	while ((rc = csv_next(rd, &rec, path, &e)) == 1) {
		int k;

		if (rec.n != RETURN_COLS) {
			snprintf(why, sizeof why, "%d fields where a return "
			    "has %d", rec.n, RETURN_COLS);
			st = return_fail(path, rec.line, why);
			goto out;
		}
		if ((k = fig_return_find(r, rec.fields[2], rec.fields[3])) < 0) {
			snprintf(why, sizeof why, "no line '%.60s, %.60s' in "
			    "the return's layout", rec.fields[2],
			    rec.fields[3]);
			st = return_fail(path, rec.line, why);
			goto out;
		}
		if (seen[k]) {
			snprintf(why, sizeof why, "the line '%.60s, %.60s' "
			    "comes twice", rec.fields[2], rec.fields[3]);
			st = return_fail(path, rec.line, why);
			goto out;
		}
		seen[k] = true;
		if (fig_cell_parse(rec.fields[4], r->lines[k].plain,
		    &r->lines[k].cell) != 0) {
			snprintf(why, sizeof why, "count '%.40s' is not a "
			    "number of 0 or 5 and more, '<5', 'c' or '>=N'",
			    rec.fields[4]);
			st = return_fail(path, rec.line, why);
			goto out;
		}
		if (r->school == NULL) {
			r->school = xstrdup(rec.fields[0]);
			r->date = date_from_iso(rec.fields[1]);
		}
	}
	if (rc < 0) {
		st = cli_fail(&e);
		goto out;
	}
	for (i = 0; i < r->n; i++)
		if (!seen[i]) {
			snprintf(why, sizeof why, "no line for '%s, %s' (not a "
			    "senco cluster return of this layout?)",
			    r->lines[i].measure, r->lines[i].group);
			st = return_fail(path, 0, why);
			goto out;
		}
	i = fig_return_find(r, "returns", "schools");
	r->returns = (int)r->lines[i].cell.value;
	if (r->date == SDATE_NONE) {
		st = return_fail(path, 0, "the Date column is not an ISO "
		    "date");
		goto out;
	}
out:
	if (rd != NULL)
		csv_close(rd);
	free(seen);
	free(text);
	if (st != 0)
		fig_return_free(r);
	return st;
}

static int
run_merge(struct cli *c, int argc, char **argv, const struct ropts *o)
{
	struct fig_return sum, one;
	char **notes = NULL, date[16], label[64];
	int nnotes = 0, st = 0, i;
	struct serr e;

	(void)c;
	if (optind >= argc)
		return cli_usage(c, "--merge needs the returns to add (FILE...)");
	memset(&sum, 0, sizeof sum);
	serr_clear(&e);
	for (i = optind; i < argc; i++) {
		if ((st = read_return(argv[i], &one)) != 0)
			goto out;
		if (sum.lines == NULL) {
			fig_return_layout(&sum, one.days);
			sum.date = one.date;
		}
		if (fig_return_add(&sum, &one, &e) != 0) {
			st = return_fail(argv[i], 0, strchr(e.msg, ':') != NULL ?
			    strchr(e.msg, ':') + 2 : e.msg);
			fig_return_free(&one);
			goto out;
		}
		add_note(&notes, &nnotes, "Return %d: %s, %s%s.", i - optind + 1,
		    one.school, date_show(one.date, date),
		    one.returns > 1 ? " (itself merged)" : "");
		fig_return_free(&one);
	}
	snprintf(label, sizeof label, "Merged return of %d school%s",
	    sum.returns, sum.returns == 1 ? "" : "s");
	sum.school = xstrdup(label);
	print_return(&sum, o->f, notes, nnotes);
out:
	for (i = 0; i < nnotes; i++)
		free(notes[i]);
	free(notes);
	fig_return_free(&sum);
	return st;
}

static int
run_cluster(struct cli *c, int argc, char **argv)
{
	struct report_caseload cl;
	struct report_provision pv;
	struct fig_exclusions x;
	struct fig_caseload f;
	struct fig_sources src;
	struct fig_return r;
	struct ropts o;
	struct db *db;
	struct serr e;
	char **notes = NULL, a[16], b[16];
	int st, nnotes = 0;

	if ((st = parse_opts(c, argc, argv, OPT_FORMAT | OPT_TODAY | OPT_DAYS |
	    OPT_MERGE, &o)) >= 0)
		return st;
	if (o.merge)
		return run_merge(c, argc, argv, &o);
	if ((st = load_caseload(c, &o, REPORT_TARGETS, &db, &cl)) != 0)
		return st;
	serr_clear(&e);
	memset(&pv, 0, sizeof pv);
	/* the return counts the pupils in provision, nothing else of it;
	 * the register's costs (REPORT_COSTS) come from the same pass */
	if (report_provision_pupils(db, o.today, &cl, &pv.pupils, &e) != 0 ||
	    fig_exclusions_of(db, &cl, fig_academic_year_start(o.today),
	    o.today, c->cfg->roll, &x, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	fig_caseload(&cl, c->cfg->roll, &f);
	src.caseload = &cl;
	src.roll = &f;
	src.provision = &pv;
	src.exclusions = &x;
	src.days = o.days;
	fig_return_make(&src, school_name(c), o.today, &r);
	add_note(&notes, &nnotes, "Anonymised: counts and rates only. "
	    "Exclusions from %s to %s; reviews due within %d days.",
	    date_show(x.from, a), date_show(x.to, b), o.days);
	print_return(&r, o.f, notes, nnotes);
	free(notes[0]);
	free(notes);
	fig_return_free(&r);
	st = 0;
out:
	report_provision_free(&pv);
	report_caseload_free(&cl);
	db_close(db);
	return st;
}

/* --- the command ------------------------------------------------------------------ */

#define FORMAT_HELP \
	"  --format F    table (the default), csv, tsv or md (markdown " \
	"tables for\n" \
	"                governors' papers)\n" \
	"  --today DATE  the date the figures are for (default: today)\n"

static const struct cli_sub report_subs[] = {
	{ "caseload", "[--format F] [--today DATE]",
	  "pupils by SEN status, broad area and need, as % of the roll",
	  FORMAT_HELP
	  "The roll is the configured one (school.roll), else the pupils on "
	  "roll in\nthe caseload.\n",
	  run_caseload },
	{ "reviews", "[--days N] [--format F] [--today DATE]",
	  "reviews overdue and due in the next N days",
	  "  --days N      the window of reviews due (default 28)\n"
	  FORMAT_HELP
	  "With the EHC plans' annual reviews and phase-transfer deadlines "
	  "(see senco\nehc reviews).\n",
	  run_reviews },
	{ "gap", "[--point P] [--subject S] [--format F] [--today DATE]",
	  "attainment by SEN status beside national figures: the gap",
	  "  --point P     one assessment point (e.g. \"KS2 2026\")\n"
	  "  --subject S   one subject (reading, writing, maths, rwm ...)\n"
	  FORMAT_HELP
	  "For N, K and E: pupils, % at the expected standard or above and "
	  "at greater\ndepth, mean score, beside the configured national "
	  "figures, written\n\"21 (Gap = 43%)\": ours, and national minus "
	  "ours in percentage points.\n",
	  run_gap },
	{ "attendance", "[--term T] [--format F] [--today DATE]",
	  "mean attendance and persistent absence by SEN status and need",
	  "  --term T      the term (default: the latest recorded), e.g. "
	  "\"Autumn 2026\"\n"
	  FORMAT_HELP
	  "Persistently absent: attendance below 90%. With every term's "
	  "means, to see\nwhether the gap is closing.\n",
	  run_attendance },
	{ "on-track", "[--format F] [--today DATE]",
	  "pupils with targets on track against the 70% / 90% criteria",
	  FORMAT_HELP
	  "Given for all pupils, per year group and per primary need.\n",
	  run_on_track },
	{ "provision", "[--format F] [--today DATE]",
	  "interventions with pupils, hours and cost; pupils over top-up",
	  FORMAT_HELP,
	  run_provision },
	{ "impact", "[--format F] [--today DATE]",
	  "entry, exit and mean gain of each intervention",
	  FORMAT_HELP,
	  run_impact },
	{ "exclusions", "[--from DATE] [--to DATE] [--format F] [--today DATE]",
	  "suspensions and permanent exclusions by SEN status, with rates",
	  "  --from DATE   the start of the period (default: 1 September "
	  "before --to)\n"
	  "  --to DATE     the end of the period (default: today)\n"
	  FORMAT_HELP,
	  run_exclusions },
	{ "cluster", "[--days N] [--format F] [--today DATE] | --merge "
	  "FILE...",
	  "an anonymised return for the cluster or trust, or several merged",
	  "  --days N      the window of reviews due (default 28)\n"
	  "  --merge       add up the returns FILE... (CSV, as written by "
	  "--format csv)\n"
	  "                into one trust view\n"
	  FORMAT_HELP
	  "Counts only: no names, no UPNs; a count from 1 to 4 shows as <5, "
	  "and counts\nthat would give one away are withheld (c). Send the "
	  "--format csv output.\n",
	  run_cluster },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_report = {
	"report", "figures for governors, the trust and the cluster panel",
	report_subs
};
