/*
 * plan.c: the printable SEN support plan / review record (plan.h).
 *
 * The plan is read whole into a struct plan first and then rendered as
 * HTML, markdown or plain text, so all three say the same things and a
 * read error never leaves half a document behind.
 *
 * What a copy for parents leaves out, on purpose:
 * - the vulnerable-group flags (pupil premium, free school meals, child
 *   in care, EAL): they describe the family's circumstances, not the
 *   child's needs, and a plan is often passed on to tutors, clubs and
 *   other professionals;
 * - the UPN: an identifier for school systems that DfE guidance keeps
 *   off documents that leave the school;
 * - gender and attendance: not part of the plan (attendance is a
 *   separate conversation with its own letters);
 * - the cost of provision: the school's budget, not the child's plan;
 * - exclusions and the contact log: other records with their own rules;
 * - the staff's working notes of each stage of the cycle: written for
 *   colleagues, not agreed with the family. What was agreed (targets,
 *   provision, views, the decision) is all here.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/codes.h"
#include "core/cycle.h"
#include "core/intervention.h"
#include "core/pupil.h"
#include "core/record.h"
#include "core/target.h"
#include "core/xmalloc.h"
#include "io/doc.h"
#include "io/plan.h"
#include "io/table.h"

/* --- the plan as read ----------------------------------------------------- */

struct plan_rating {
	sdate on;
	int value;		/* -1: a comment alone */
	char *comment;
};

struct plan_target {
	struct target t;
	struct plan_rating *r;	/* oldest first */
	int nr;
};

struct plan_provision {
	struct enrolment en;
	char name[INTERVENTION_NAME_MAX];
};

struct plan {
	struct pupil p;
	char name[2 * NAME_MAX_BYTES + 2];	/* "Zoë Brown" */
	char legal[2 * NAME_MAX_BYTES + 2];	/* "" when the same */
	const char *forename;			/* into p */
	bool has_cycle;
	struct cycle cy;
	struct plan_target *t;
	int nt;
	struct plan_provision *pr;
	int npr;
	struct agency *ag;
	int nag;
	const char *school;
	sdate today;
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static int
take_target(void *ctx, const struct target *t)
{
	struct plan *pl = ctx;
	struct plan_target *pt;

	pl->t = xreallocarray(pl->t, (size_t)pl->nt + 1, sizeof *pl->t);
	pt = &pl->t[pl->nt++];
	memset(pt, 0, sizeof *pt);
	pt->t = *t;
	pt->t.text = dup_or_null(t->text);
	pt->t.criteria = dup_or_null(t->criteria);
	pt->t.baseline = dup_or_null(t->baseline);
	return 0;
}

static int
take_rating(void *ctx, const struct rating *r)
{
	struct plan_target *pt = ctx;
	struct plan_rating *pr;

	pt->r = xreallocarray(pt->r, (size_t)pt->nr + 1, sizeof *pt->r);
	pr = &pt->r[pt->nr++];
	pr->on = r->on;
	pr->value = r->value;
	pr->comment = dup_or_null(r->comment);
	return 0;
}

static int
take_enrolment(void *ctx, const struct enrolment *en)
{
	struct plan *pl = ctx;

	pl->pr = xreallocarray(pl->pr, (size_t)pl->npr + 1, sizeof *pl->pr);
	memset(&pl->pr[pl->npr], 0, sizeof pl->pr[pl->npr]);
	pl->pr[pl->npr++].en = *en;
	return 0;
}

static int
take_agency(void *ctx, const struct agency *a)
{
	struct plan *pl = ctx;

	pl->ag = xreallocarray(pl->ag, (size_t)pl->nag + 1, sizeof *pl->ag);
	pl->ag[pl->nag] = *a;
	pl->ag[pl->nag++].notes = dup_or_null(a->notes);
	return 0;
}

static int
newest_cycle(void *ctx, const struct cycle *c)
{
	int64_t *id = ctx;

	if (*id == 0)
		*id = c->id;
	return 0;
}

/*
 * The provision the plan is about: what overlaps the plan period, and
 * what runs now or is planned (for a plan still open). Without a cycle,
 * what runs now.
 */
static bool
provision_belongs(const struct plan *pl, const struct enrolment *en)
{
	sdate end = en->end != SDATE_NONE ? en->end : INT32_MAX;

	if (pl->has_cycle && en->start <= pl->cy.plan_end &&
	    end >= pl->cy.plan_start)
		return true;
	if (pl->has_cycle && pl->cy.closed_on != SDATE_NONE)
		return false;
	return !en->ended && end >= pl->today;
}

static void
plan_free(struct plan *pl)
{
	int i, k;

	for (i = 0; i < pl->nt; i++) {
		for (k = 0; k < pl->t[i].nr; k++)
			free(pl->t[i].r[k].comment);
		free(pl->t[i].r);
		target_free(&pl->t[i].t);
	}
	free(pl->t);
	free(pl->pr);
	for (i = 0; i < pl->nag; i++)
		agency_free(&pl->ag[i]);
	free(pl->ag);
	if (pl->has_cycle)
		cycle_free(&pl->cy);
	memset(pl, 0, sizeof *pl);
}

static int
plan_load(struct db *db, int64_t pupil_id, const struct plan_opts *o,
    struct plan *pl, struct serr *e)
{
	const char *sur, *fore;
	int64_t cycle_id = 0;
	int rc, i, keep;

	memset(pl, 0, sizeof *pl);
	pl->school = o != NULL && o->school != NULL ? o->school : "";
	pl->today = o != NULL && o->today != SDATE_NONE ? o->today :
	    date_today();
	pupil_init(&pl->p);
	if ((rc = pupil_get(db, pupil_id, &pl->p, e)) != 0)
		return rc;
	sur = pl->p.preferred_surname[0] ? pl->p.preferred_surname :
	    pl->p.legal_surname;
	fore = pl->p.preferred_forename[0] ? pl->p.preferred_forename :
	    pl->p.legal_forename;
	pl->forename = fore;
	snprintf(pl->name, sizeof pl->name, "%s %s", fore, sur);
	if (strcmp(sur, pl->p.legal_surname) != 0 ||
	    strcmp(fore, pl->p.legal_forename) != 0)
		snprintf(pl->legal, sizeof pl->legal, "%s %s",
		    pl->p.legal_forename, pl->p.legal_surname);

	/* The open cycle, else the newest closed one. */
	cycle_init(&pl->cy);
	rc = cycle_open_for(db, pupil_id, &pl->cy, e);
	if (rc == SE_NOTFOUND) {
		serr_clear(e);
		cycle_free(&pl->cy);
		cycle_init(&pl->cy);
		if ((rc = cycle_list(db, pupil_id, newest_cycle, &cycle_id,
		    e)) != 0)
			goto fail;
		if (cycle_id != 0 &&
		    (rc = cycle_get(db, cycle_id, &pl->cy, e)) != 0) {
			cycle_free(&pl->cy);
			goto fail;
		}
	} else if (rc != 0) {
		cycle_free(&pl->cy);
		goto fail;
	} else
		cycle_id = pl->cy.id;
	pl->has_cycle = cycle_id != 0;
	if (pl->has_cycle &&
	    (rc = target_list(db, pl->cy.id, take_target, pl, e)) != 0)
		goto fail;
	for (i = 0; i < pl->nt; i++)
		if ((rc = target_ratings(db, pl->t[i].t.id, take_rating,
		    &pl->t[i], e)) != 0)
			goto fail;
	if ((rc = enrolment_list_pupil(db, pupil_id, take_enrolment, pl,
	    e)) != 0)
		goto fail;
	for (i = 0, keep = 0; i < pl->npr; i++) {
		struct intervention iv;

		if (!provision_belongs(pl, &pl->pr[i].en))
			continue;
		intervention_init(&iv);
		if ((rc = intervention_get(db, pl->pr[i].en.intervention_id,
		    &iv, e)) != 0) {
			intervention_free(&iv);
			goto fail;
		}
		pl->pr[keep] = pl->pr[i];
		snprintf(pl->pr[keep].name, sizeof pl->pr[keep].name, "%s",
		    iv.name);
		intervention_free(&iv);
		keep++;
	}
	pl->npr = keep;
	if ((rc = agency_list(db, pupil_id, take_agency, pl, e)) != 0)
		goto fail;
	return 0;
fail:
	plan_free(pl);
	return rc;
}

/* --- words shared by the formats ---------------------------------------------- */

static const char *
plan_title(const struct plan *pl)
{
	if (pl->has_cycle && pl->cy.closed_on != SDATE_NONE)
		return "SEN support review record";
	return "SEN support plan";
}

/* "Year 4", "Reception", "Nursery (N1)". */
static char *
year_words(const char *year, char *buf, size_t n)
{
	if (strcmp(year, "R") == 0)
		snprintf(buf, n, "Reception");
	else if (year[0] == 'N')
		snprintf(buf, n, "Nursery (%s)", year);
	else if (strcmp(year, "X") == 0)
		snprintf(buf, n, "Not in a National Curriculum year (X)");
	else
		snprintf(buf, n, "Year %s", year);
	return buf;
}

/* "3 May 2016 (age 9)" in the configured date style. */
static char *
dob_words(const struct plan *pl, char *buf, size_t n)
{
	char d[16];

	if (pl->p.dob == SDATE_NONE)
		snprintf(buf, n, "not recorded");
	else
		snprintf(buf, n, "%s (age %d)", date_show(pl->p.dob, d),
		    date_age_years(pl->p.dob, pl->today));
	return buf;
}

static char *
status_words(const struct plan *pl, char *buf, size_t n)
{
	char d[16];

	if (pl->p.status_since != SDATE_NONE)
		snprintf(buf, n, "%s (since %s)", status_name(pl->p.status),
		    date_show(pl->p.status_since, d));
	else
		snprintf(buf, n, "%s", status_name(pl->p.status));
	return buf;
}

/* "Primary need", "Secondary need", "Need 3". */
static char *
rank_words(int i, char *buf, size_t n)
{
	if (i == 0)
		snprintf(buf, n, "Primary need");
	else if (i == 1)
		snprintf(buf, n, "Secondary need");
	else
		snprintf(buf, n, "Need %d", i + 1);
	return buf;
}

/* "Speech, language and communication needs (SLCN)" */
static char *
need_words(const char *code, char *buf, size_t n)
{
	const struct need_code *nc = need_find(code);

	if (nc == NULL)
		snprintf(buf, n, "%s", code);
	else
		snprintf(buf, n, "%s (%s)", nc->name, nc->code);
	return buf;
}

/* "3 sessions a week of 30 minutes, in a group of 4" */
static char *
often_words(const struct enrolment *en, char *buf, size_t n)
{
	char group[48];

	if (en->group_size <= 1)
		snprintf(group, sizeof group, "one to one");
	else
		snprintf(group, sizeof group, "in a group of %d",
		    en->group_size);
	snprintf(buf, n, "%d session%s a week of %d minutes, %s",
	    en->sessions_per_week, en->sessions_per_week == 1 ? "" : "s",
	    en->minutes, group);
	return buf;
}

/* "from 05/01/2026 to 27/03/2026", "from 05/01/2026" */
static char *
period_words(sdate from, sdate to, char *buf, size_t n)
{
	char a[16], b[16];

	if (to != SDATE_NONE)
		snprintf(buf, n, "%s to %s", date_show(from, a),
		    date_show(to, b));
	else
		snprintf(buf, n, "from %s", date_show(from, a));
	return buf;
}

/* A score as written: "84", "92.5". */
static char *
score_words(double x, char *buf, size_t n)
{
	if (isnan(x))
		snprintf(buf, n, "not yet");
	else
		snprintf(buf, n, "%g", x);
	return buf;
}

/* "Salford reading age (months): 84 at the start, 92 at the end", or ""
 * when the provision has no measure. */
static char *
measure_words(const struct enrolment *en, char *buf, size_t n)
{
	char a[32], b[32];
	const char *unit = en->measure_kind == MEASURE_AGE ? " (months)" : "";

	if (en->measure[0] == '\0' && isnan(en->entry) && isnan(en->exit)) {
		buf[0] = '\0';
		return buf;
	}
	if (isnan(en->exit))
		snprintf(buf, n, "%s%s: %s at the start",
		    en->measure[0] ? en->measure : "Measure", unit,
		    score_words(en->entry, a, sizeof a));
	else
		snprintf(buf, n, "%s%s: %s at the start, %s at the end",
		    en->measure[0] ? en->measure : "Measure", unit,
		    score_words(en->entry, a, sizeof a),
		    score_words(en->exit, b, sizeof b));
	return buf;
}

static char *
agency_words(const struct agency *a, char *buf, size_t n)
{
	char d[16], r[16];

	if (a->advice_on != SDATE_NONE &&
	    strcasecmp(a->status, "advice received") == 0)
		snprintf(buf, n, "referred %s; advice received %s",
		    date_show(a->referred_on, r), date_show(a->advice_on, d));
	else if (a->advice_on != SDATE_NONE)
		snprintf(buf, n, "referred %s; advice received %s; %s",
		    date_show(a->referred_on, r), date_show(a->advice_on, d),
		    a->status);
	else
		snprintf(buf, n, "referred %s; %s",
		    date_show(a->referred_on, r), a->status);
	return buf;
}

static char *
outcome_words(const struct target *t, char *buf, size_t n)
{
	char d[16];

	if (t->outcome == OUTCOME_NONE)
		snprintf(buf, n, "to be judged at the review");
	else if (t->outcome_on != SDATE_NONE)
		snprintf(buf, n, "%s (%s)", outcome_name(t->outcome),
		    date_show(t->outcome_on, d));
	else
		snprintf(buf, n, "%s", outcome_name(t->outcome));
	return buf;
}

/* "3 secure" */
static char *
rating_words(int v, char *buf, size_t n)
{
	if (v < 0)
		snprintf(buf, n, "comment");
	else
		snprintf(buf, n, "%d %s", v, rating_name(v));
	return buf;
}

/* The review line: "Next review: 27/03/2026", or what was decided. */
static char *
review_words(const struct plan *pl, char *buf, size_t n)
{
	char d[16];

	if (!pl->has_cycle)
		snprintf(buf, n, "to be arranged");
	else if (pl->cy.closed_on != SDATE_NONE)
		snprintf(buf, n, "reviewed on %s; decision: %s",
		    date_show(pl->cy.closed_on, d),
		    decision_name(pl->cy.decision));
	else
		snprintf(buf, n, "%s", date_show(pl->cy.review_date, d));
	return buf;
}

static const char *
school_or(const struct plan *pl)
{
	return pl->school[0] != '\0' ? pl->school : "School";
}

static const char *
text_or(const char *s, const char *none)
{
	return s != NULL && *s != '\0' ? s : none;
}

#define NOT_RECORDED "Not recorded yet."
#define BUF 256

/* --- HTML ------------------------------------------------------------------------ */

/*
 * One style sheet, inline. On screen a column of readable width; on
 * paper A4 with margins, headings kept with what follows, and a target
 * (or a table row) never split across pages. Colour only repeats what
 * the words say: the rating bars are outlined boxes with the rating
 * written beside them, so a black-and-white print loses nothing.
 */
static const char HTML_STYLE[] =
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{font-family:\"Helvetica Neue\",Arial,\"Liberation Sans\","
    "\"DejaVu Sans\",sans-serif;font-size:11pt;line-height:1.4;color:#111;"
    "background:#fff;max-width:48em;margin:1.5em auto;padding:0 1em}\n"
    "header{border-bottom:3px solid #1f3a5f;padding-bottom:.4em;"
    "margin-bottom:.8em}\n"
    ".school{font-size:10pt;letter-spacing:.06em;text-transform:uppercase;"
    "color:#1f3a5f;font-weight:bold}\n"
    "h1{font-size:19pt;margin:.15em 0;color:#1f3a5f}\n"
    ".sub{color:#444;margin:0}\n"
    "h2{font-size:13pt;color:#1f3a5f;border-bottom:1px solid #9fb3c8;"
    "margin:1.2em 0 .4em;padding-bottom:.1em;break-after:avoid;"
    "page-break-after:avoid}\n"
    "h3{font-size:11.5pt;margin:0 0 .3em}\n"
    "table{border-collapse:collapse;width:100%;margin:.3em 0}\n"
    "th,td{text-align:left;vertical-align:top;padding:.25em .5em;"
    "border:1px solid #b8c4d0}\n"
    "th{background:#eef2f6;font-weight:bold}\n"
    "table.details th{width:12em}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    ".text{white-space:pre-line}\n"
    ".none{color:#555;font-style:italic}\n"
    ".voice{border-left:4px solid #9fb3c8;padding:.2em .8em;"
    "margin:.3em 0 .8em}\n"
    ".target{border:1px solid #9fb3c8;border-radius:4px;padding:.5em .8em;"
    "margin:.6em 0;break-inside:avoid;page-break-inside:avoid}\n"
    ".target p{margin:.2em 0}\n"
    ".label{font-weight:bold}\n"
    ".progress{table-layout:fixed}\n"
    ".progress td,.progress th{font-size:10pt}\n"
    ".progress th:nth-child(1){width:7em}\n"
    ".progress th:nth-child(2){width:6.5em}\n"
    ".progress th:nth-child(3){width:8.5em}\n"
    ".bar{white-space:nowrap}\n"
    ".bar i{display:inline-block;width:.9em;height:.8em;margin-right:2px;"
    "border:1px solid #1f3a5f;vertical-align:-.05em}\n"
    ".bar i.on{background:#1f3a5f}\n"
    ".sign{table-layout:fixed}\n"
    ".sign td{height:2.6em}\n"
    ".sign th:nth-child(1){width:24%}\n"
    ".sign th:nth-child(2){width:30%}\n"
    ".sign th:nth-child(4){width:16%}\n"
    "footer{margin-top:1.5em;font-size:9pt;color:#444;"
    "border-top:1px solid #9fb3c8;padding-top:.3em}\n"
    "@page{size:A4;margin:16mm 15mm 18mm 15mm}\n"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "h2{margin-top:.9em}}\n";

static void
html_row(FILE *fp, const char *label, const char *value)
{
	fputs("<tr><th scope=\"row\">", fp);
	doc_html(fp, label);
	fputs("</th><td class=\"text\">", fp);
	doc_html(fp, value);
	fputs("</td></tr>\n", fp);
}

static void
html_voice(FILE *fp, const char *heading, const char *text)
{
	fputs("<h3>", fp);
	doc_html(fp, heading);
	fputs("</h3>\n", fp);
	if (text != NULL && *text != '\0') {
		fputs("<blockquote class=\"voice text\">", fp);
		doc_html(fp, text);
		fputs("</blockquote>\n", fp);
	} else
		fputs("<p class=\"voice none\">" NOT_RECORDED "</p>\n", fp);
}

/* Four boxes, as many filled as the rating; hidden from screen readers,
 * which read the rating's words instead. */
static void
html_bar(FILE *fp, int v)
{
	fputs("<span class=\"bar\" aria-hidden=\"true\">", fp);
	for (int i = 1; i <= RATING_MAX; i++)
		fputs(v >= i ? "<i class=\"on\"></i>" : "<i></i>", fp);
	fputs("</span>", fp);
}

static void
html_target(FILE *fp, const struct plan_target *pt)
{
	const struct target *t = &pt->t;
	char buf[BUF], d[16];

	fprintf(fp, "<section class=\"target\">\n<h3>Target %d: ",
	    t->position);
	doc_html(fp, t->text);
	fputs("</h3>\n", fp);
	if (t->area != AREA_NONE) {
		fputs("<p><span class=\"label\">Area:</span> ", fp);
		doc_html(fp, area_name(t->area));
		fputs("</p>\n", fp);
	}
	fputs("<p><span class=\"label\">How we will know (success "
	    "criteria):</span> <span class=\"text\">", fp);
	doc_html(fp, text_or(t->criteria, NOT_RECORDED));
	fputs("</span></p>\n", fp);
	if (t->baseline != NULL && *t->baseline != '\0') {
		fputs("<p><span class=\"label\">Starting point:</span> "
		    "<span class=\"text\">", fp);
		doc_html(fp, t->baseline);
		fputs("</span></p>\n", fp);
	}
	if (t->carried_from != 0)
		fputs("<p class=\"none\">Carried over from the last plan.</p>\n",
		    fp);
	if (pt->nr == 0)
		fputs("<p><span class=\"label\">Progress:</span> "
		    "<span class=\"none\">no ratings yet.</span></p>\n", fp);
	else {
		fputs("<table class=\"progress\">\n<thead><tr><th scope=\"col\">"
		    "Date</th><th scope=\"col\">Progress</th><th scope=\"col\">"
		    "Rating</th><th scope=\"col\">Comment</th></tr></thead>\n"
		    "<tbody>\n", fp);
		for (int i = 0; i < pt->nr; i++) {
			const struct plan_rating *r = &pt->r[i];

			fprintf(fp, "<tr><td>%s</td><td>", date_show(r->on, d));
			if (r->value >= 0)
				html_bar(fp, r->value);
			fputs("</td><td>", fp);
			doc_html(fp, rating_words(r->value, buf, sizeof buf));
			fputs("</td><td class=\"text\">", fp);
			doc_html(fp, text_or(r->comment, ""));
			fputs("</td></tr>\n", fp);
		}
		fputs("</tbody>\n</table>\n", fp);
	}
	fputs("<p><span class=\"label\">Outcome:</span> ", fp);
	doc_html(fp, outcome_words(t, buf, sizeof buf));
	fputs("</p>\n</section>\n", fp);
}

static void
render_html(const struct plan *pl, FILE *fp)
{
	char buf[BUF], heading[BUF + 64], d[16];
	int i;

	fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>", fp);
	doc_html(fp, plan_title(pl));
	fputs(": ", fp);
	doc_html(fp, pl->name);
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n",
	    HTML_STYLE);

	fputs("<header>\n<div class=\"school\">", fp);
	doc_html(fp, school_or(pl));
	fputs("</div>\n<h1>", fp);
	doc_html(fp, plan_title(pl));
	fputs(": ", fp);
	doc_html(fp, pl->name);
	fprintf(fp, "</h1>\n<p class=\"sub\">Prepared on %s",
	    date_show(pl->today, d));
	if (pl->has_cycle)
		fprintf(fp, " &middot; Plan period %s",
		    period_words(pl->cy.plan_start, pl->cy.plan_end, buf,
		    sizeof buf));
	fputs("</p>\n</header>\n<main>\n", fp);

	snprintf(heading, sizeof heading, "About %s", pl->forename);
	fputs("<h2>", fp);
	doc_html(fp, heading);
	fputs("</h2>\n<table class=\"details\">\n", fp);
	html_row(fp, "Name", pl->name);
	if (pl->legal[0] != '\0')
		html_row(fp, "Legal name", pl->legal);
	html_row(fp, "Date of birth", dob_words(pl, buf, sizeof buf));
	html_row(fp, "Year group", year_words(pl->p.year, buf, sizeof buf));
	if (pl->p.class_name[0] != '\0')
		html_row(fp, "Class", pl->p.class_name);
	html_row(fp, "SEN status", status_words(pl, buf, sizeof buf));
	fputs("</table>\n", fp);

	fputs("<h2>Needs</h2>\n", fp);
	if (pl->p.n_needs <= 0)
		fputs("<p class=\"none\">No type of need recorded.</p>\n", fp);
	else {
		fputs("<table class=\"details\">\n", fp);
		for (i = 0; i < pl->p.n_needs; i++) {
			char rank[32], words[2 * BUF];
			const struct need_code *nc = need_find(pl->p.needs[i]);

			snprintf(words, sizeof words, "%s%s%s",
			    need_words(pl->p.needs[i], buf, sizeof buf),
			    nc != NULL && nc->area != AREA_NONE ? "\n" : "",
			    nc != NULL && nc->area != AREA_NONE ?
			    area_name(nc->area) : "");
			html_row(fp, rank_words(i, rank, sizeof rank), words);
		}
		fputs("</table>\n", fp);
	}

	fputs("<h2>Views</h2>\n", fp);
	snprintf(heading, sizeof heading, "What %s said", pl->forename);
	html_voice(fp, heading, pl->has_cycle ? pl->cy.pupil_voice : NULL);
	html_voice(fp, "What parents and carers said",
	    pl->has_cycle ? pl->cy.parent_voice : NULL);

	fputs("<h2>Targets</h2>\n", fp);
	if (pl->nt == 0)
		fputs("<p class=\"none\">No targets set yet.</p>\n", fp);
	for (i = 0; i < pl->nt; i++)
		html_target(fp, &pl->t[i]);

	fputs("<h2>Support in place</h2>\n", fp);
	if (pl->npr == 0)
		fputs("<p class=\"none\">No additional provision recorded."
		    "</p>\n", fp);
	else {
		fputs("<table>\n<thead><tr><th scope=\"col\">Support</th>"
		    "<th scope=\"col\">Who</th><th scope=\"col\">How often</th>"
		    "<th scope=\"col\">When</th></tr></thead>\n<tbody>\n", fp);
		for (i = 0; i < pl->npr; i++) {
			const struct enrolment *en = &pl->pr[i].en;

			fputs("<tr><td>", fp);
			doc_html(fp, pl->pr[i].name);
			measure_words(en, buf, sizeof buf);
			if (buf[0] != '\0') {
				fputs("<br><small>", fp);
				doc_html(fp, buf);
				fputs("</small>", fp);
			}
			fputs("</td><td>", fp);
			doc_html(fp, text_or(en->staff, ""));
			fputs("</td><td>", fp);
			doc_html(fp, often_words(en, buf, sizeof buf));
			fputs("</td><td>", fp);
			doc_html(fp, period_words(en->start, en->end, buf,
			    sizeof buf));
			fputs("</td></tr>\n", fp);
		}
		fputs("</tbody>\n</table>\n", fp);
	}

	fputs("<h2>Advice from outside agencies</h2>\n", fp);
	if (pl->nag == 0)
		fputs("<p class=\"none\">No outside agency involved.</p>\n", fp);
	else {
		fputs("<table>\n<thead><tr><th scope=\"col\">Agency</th>"
		    "<th scope=\"col\">Involvement</th><th scope=\"col\">Advice"
		    "</th></tr></thead>\n<tbody>\n", fp);
		for (i = 0; i < pl->nag; i++) {
			fputs("<tr><td>", fp);
			doc_html(fp, pl->ag[i].agency);
			fputs("</td><td>", fp);
			doc_html(fp, agency_words(&pl->ag[i], buf, sizeof buf));
			fputs("</td><td class=\"text\">", fp);
			doc_html(fp, text_or(pl->ag[i].notes, ""));
			fputs("</td></tr>\n", fp);
		}
		fputs("</tbody>\n</table>\n", fp);
	}

	fputs("<h2>Review</h2>\n<table class=\"details\">\n", fp);
	html_row(fp, pl->has_cycle && pl->cy.closed_on != SDATE_NONE ?
	    "Review" : "Next review", review_words(pl, buf, sizeof buf));
	fputs("</table>\n", fp);

	fputs("<h2>Agreed by</h2>\n<table class=\"sign\">\n<thead><tr>"
	    "<th scope=\"col\"></th><th scope=\"col\">Name</th>"
	    "<th scope=\"col\">Signature</th><th scope=\"col\">Date</th>"
	    "</tr></thead>\n<tbody>\n", fp);
	fputs("<tr><th scope=\"row\">Parent or carer</th><td></td><td></td>"
	    "<td></td></tr>\n", fp);
	fputs("<tr><th scope=\"row\">", fp);
	doc_html(fp, pl->forename);
	fputs("</th><td></td><td></td><td></td></tr>\n", fp);
	fputs("<tr><th scope=\"row\">SENCO</th><td></td><td></td><td></td>"
	    "</tr>\n</tbody>\n</table>\n</main>\n", fp);

	fputs("<footer>Confidential: this plan holds personal information "
	    "about ", fp);
	doc_html(fp, pl->name);
	fputs(". ", fp);
	doc_html(fp, school_or(pl));
	fprintf(fp, ", %s.</footer>\n</body>\n</html>\n",
	    date_show(pl->today, d));
}

/* --- markdown --------------------------------------------------------------------- */

static void
md_item(FILE *fp, const char *label, const char *value)
{
	fputs("- **", fp);
	doc_md(fp, label);
	fputs(":** ", fp);
	doc_md(fp, value);
	fputc('\n', fp);
}

static void
md_voice(FILE *fp, const char *heading, const char *text)
{
	fputs("### ", fp);
	doc_md(fp, heading);
	fputs("\n\n", fp);
	if (text != NULL && *text != '\0') {
		fputs("> ", fp);
		/* each line of a quote starts with "> " */
		for (const char *p = text; *p != '\0';) {
			size_t len = strcspn(p, "\n");
			char *line = xstrndup(p, len);

			doc_md(fp, line);
			free(line);
			p += len;
			if (*p == '\n') {
				p++;
				if (*p != '\0')
					fputs("\\\n> ", fp);
			}
		}
		fputs("\n\n", fp);
	} else
		fputs("*" NOT_RECORDED "*\n\n", fp);
}

static void
md_target(FILE *fp, const struct plan_target *pt)
{
	const struct target *t = &pt->t;
	char buf[BUF];

	fprintf(fp, "### Target %d: ", t->position);
	doc_md(fp, t->text);
	fputs("\n\n", fp);
	if (t->area != AREA_NONE)
		md_item(fp, "Area", area_name(t->area));
	md_item(fp, "How we will know (success criteria)",
	    text_or(t->criteria, NOT_RECORDED));
	if (t->baseline != NULL && *t->baseline != '\0')
		md_item(fp, "Starting point", t->baseline);
	if (t->carried_from != 0)
		md_item(fp, "Carried over", "from the last plan");
	md_item(fp, "Outcome", outcome_words(t, buf, sizeof buf));
	fputc('\n', fp);
	if (pt->nr == 0) {
		fputs("*No ratings yet.*\n\n", fp);
		return;
	}
	{
		static const char *const h[] = {
			"Date", "Progress", "Rating", "Comment"
		};
		const char **cells = xcalloc((size_t)pt->nr * 4,
		    sizeof *cells);
		char (*dates)[16] = xcalloc((size_t)pt->nr, sizeof *dates);
		char (*bars)[8] = xcalloc((size_t)pt->nr, sizeof *bars);
		char (*words)[32] = xcalloc((size_t)pt->nr, sizeof *words);

		for (int i = 0; i < pt->nr; i++) {
			const struct plan_rating *r = &pt->r[i];

			for (int k = 0; k < RATING_MAX; k++)
				bars[i][k] = r->value < 0 ? ' ' :
				    k < r->value ? '#' : '.';
			cells[i * 4] = date_show(r->on, dates[i]);
			cells[i * 4 + 1] = r->value < 0 ? "" : bars[i];
			cells[i * 4 + 2] = rating_words(r->value, words[i],
			    sizeof words[i]);
			cells[i * 4 + 3] = text_or(r->comment, "");
		}
		doc_md_table(fp, 4, h, NULL, cells, pt->nr);
		fputc('\n', fp);
		free(words);
		free(bars);
		free(dates);
		free(cells);
	}
}

static void
render_md(const struct plan *pl, FILE *fp)
{
	char buf[BUF], heading[BUF + 64], d[16];
	int i;

	fputs("# ", fp);
	doc_md(fp, plan_title(pl));
	fputs(": ", fp);
	doc_md(fp, pl->name);
	fputs("\n\n**", fp);
	doc_md(fp, school_or(pl));
	fprintf(fp, "** · prepared on %s", date_show(pl->today, d));
	if (pl->has_cycle)
		fprintf(fp, " · plan period %s", period_words(pl->cy.plan_start,
		    pl->cy.plan_end, buf, sizeof buf));
	fputs("\n\n", fp);

	snprintf(heading, sizeof heading, "About %s", pl->forename);
	fputs("## ", fp);
	doc_md(fp, heading);
	fputs("\n\n", fp);
	md_item(fp, "Name", pl->name);
	if (pl->legal[0] != '\0')
		md_item(fp, "Legal name", pl->legal);
	md_item(fp, "Date of birth", dob_words(pl, buf, sizeof buf));
	md_item(fp, "Year group", year_words(pl->p.year, buf, sizeof buf));
	if (pl->p.class_name[0] != '\0')
		md_item(fp, "Class", pl->p.class_name);
	md_item(fp, "SEN status", status_words(pl, buf, sizeof buf));

	fputs("\n## Needs\n\n", fp);
	if (pl->p.n_needs <= 0)
		fputs("*No type of need recorded.*\n", fp);
	for (i = 0; i < pl->p.n_needs; i++) {
		char rank[32], words[2 * BUF];
		const struct need_code *nc = need_find(pl->p.needs[i]);

		snprintf(words, sizeof words, "%s%s%s",
		    need_words(pl->p.needs[i], buf, sizeof buf),
		    nc != NULL && nc->area != AREA_NONE ? "; " : "",
		    nc != NULL && nc->area != AREA_NONE ?
		    area_name(nc->area) : "");
		md_item(fp, rank_words(i, rank, sizeof rank), words);
	}

	fputs("\n## Views\n\n", fp);
	snprintf(heading, sizeof heading, "What %s said", pl->forename);
	md_voice(fp, heading, pl->has_cycle ? pl->cy.pupil_voice : NULL);
	md_voice(fp, "What parents and carers said",
	    pl->has_cycle ? pl->cy.parent_voice : NULL);

	fputs("## Targets\n\n", fp);
	if (pl->nt == 0)
		fputs("*No targets set yet.*\n\n", fp);
	for (i = 0; i < pl->nt; i++)
		md_target(fp, &pl->t[i]);

	fputs("## Support in place\n\n", fp);
	if (pl->npr == 0)
		fputs("*No additional provision recorded.*\n\n", fp);
	else {
		static const char *const h[] = {
			"Support", "Who", "How often", "When", "Measure"
		};
		const char **cells = xcalloc((size_t)pl->npr * 5,
		    sizeof *cells);
		char (*w)[3][BUF] = xcalloc((size_t)pl->npr, sizeof *w);

		for (i = 0; i < pl->npr; i++) {
			const struct enrolment *en = &pl->pr[i].en;

			cells[i * 5] = pl->pr[i].name;
			cells[i * 5 + 1] = en->staff;
			cells[i * 5 + 2] = often_words(en, w[i][0], BUF);
			cells[i * 5 + 3] = period_words(en->start, en->end,
			    w[i][1], BUF);
			cells[i * 5 + 4] = measure_words(en, w[i][2], BUF);
		}
		doc_md_table(fp, 5, h, NULL, cells, pl->npr);
		fputc('\n', fp);
		free(w);
		free(cells);
	}

	fputs("## Advice from outside agencies\n\n", fp);
	if (pl->nag == 0)
		fputs("*No outside agency involved.*\n\n", fp);
	else {
		static const char *const h[] = {
			"Agency", "Involvement", "Advice"
		};
		const char **cells = xcalloc((size_t)pl->nag * 3,
		    sizeof *cells);
		char (*w)[BUF] = xcalloc((size_t)pl->nag, sizeof *w);

		for (i = 0; i < pl->nag; i++) {
			cells[i * 3] = pl->ag[i].agency;
			cells[i * 3 + 1] = agency_words(&pl->ag[i], w[i], BUF);
			cells[i * 3 + 2] = text_or(pl->ag[i].notes, "");
		}
		doc_md_table(fp, 3, h, NULL, cells, pl->nag);
		fputc('\n', fp);
		free(w);
		free(cells);
	}

	fputs("## Review\n\n", fp);
	md_item(fp, pl->has_cycle && pl->cy.closed_on != SDATE_NONE ?
	    "Review" : "Next review", review_words(pl, buf, sizeof buf));

	fputs("\n## Agreed by\n\n| | Name | Signature | Date |\n"
	    "|---|---|---|---|\n| Parent or carer | | | |\n| ", fp);
	doc_md_cell(fp, pl->forename);
	fputs(" | | | |\n| SENCO | | | |\n\n", fp);
	fputs("*Confidential: this plan holds personal information about ",
	    fp);
	doc_md(fp, pl->name);
	fputs(".*\n", fp);
}

/* --- plain text ---------------------------------------------------------------------- */

/* Column where the values of "Label:  value" lines start. */
#define TXT_VALUE_COL 24
/* Indent of what stands under a section heading, and under a target or
 * a piece of provision. */
#define TXT_INDENT 2
#define TXT_INDENT2 4

/* A title and a line of `rule` under it as wide as the title. */
static void
txt_title(FILE *fp, const char *title, char rule)
{
	int w = text_width(title);

	doc_wrap(fp, title, 0, 0, PLAN_TEXT_WIDTH);
	for (int i = 0; i < w && i < PLAN_TEXT_WIDTH; i++)
		fputc(rule, fp);
	fputc('\n', fp);
}

static void
txt_heading(FILE *fp, const char *title)
{
	fputc('\n', fp);
	txt_title(fp, title, '-');
}

/* "  Label:             value wrapped under itself". A label too long
 * for the column pushes the value along by two spaces. */
static void
txt_item(FILE *fp, int indent, const char *label, const char *value)
{
	int col = fprintf(fp, "%*s%s:", indent, "", label);

	if (col + 2 <= TXT_VALUE_COL) {
		fprintf(fp, "%*s", TXT_VALUE_COL - col, "");
		col = TXT_VALUE_COL;
	} else {
		fputs("  ", fp);
		col += 2;
	}
	doc_wrap(fp, value, col, TXT_VALUE_COL, PLAN_TEXT_WIDTH);
}

static void
txt_para(FILE *fp, int indent, const char *text)
{
	fprintf(fp, "%*s", indent, "");
	doc_wrap(fp, text, indent, indent, PLAN_TEXT_WIDTH);
}

/* Columns of a rating line: date, bar, words, then the comment. */
#define TXT_BAR_COL (TXT_INDENT2 + 2 + 10 + 2)
#define TXT_WORDS_COL (TXT_BAR_COL + 8)
#define TXT_COMMENT_COL (TXT_WORDS_COL + 15)

static void
txt_target(FILE *fp, const struct plan_target *pt)
{
	const struct target *t = &pt->t;
	char buf[BUF], head[32], d[16];

	fputc('\n', fp);
	fputs("  ", fp);
	snprintf(head, sizeof head, "Target %d: ", t->position);
	fputs(head, fp);
	doc_wrap(fp, t->text, TXT_INDENT + (int)strlen(head), TXT_INDENT2,
	    PLAN_TEXT_WIDTH);
	if (t->area != AREA_NONE)
		txt_item(fp, TXT_INDENT2, "Area", area_name(t->area));
	txt_item(fp, TXT_INDENT2, "Success criteria",
	    text_or(t->criteria, NOT_RECORDED));
	if (t->baseline != NULL && *t->baseline != '\0')
		txt_item(fp, TXT_INDENT2, "Starting point", t->baseline);
	if (t->carried_from != 0)
		txt_item(fp, TXT_INDENT2, "Carried over", "from the last plan");
	if (pt->nr == 0)
		txt_item(fp, TXT_INDENT2, "Progress", "no ratings yet");
	else
		fprintf(fp, "%*sProgress:\n", TXT_INDENT2, "");
	for (int i = 0; i < pt->nr; i++) {
		const struct plan_rating *r = &pt->r[i];
		int col;

		col = fprintf(fp, "%*s%s", TXT_INDENT2 + 2, "",
		    date_show(r->on, d));
		col += fprintf(fp, "%*s", TXT_BAR_COL - col, "");
		if (r->value >= 0) {
			fputc('[', fp);
			for (int k = 0; k < RATING_MAX; k++)
				fputc(k < r->value ? '#' : '.', fp);
			fputc(']', fp);
			col += RATING_MAX + 2;
		}
		col += fprintf(fp, "%*s%s", TXT_WORDS_COL - col, "",
		    rating_words(r->value, buf, sizeof buf));
		if (r->comment == NULL || *r->comment == '\0') {
			fputc('\n', fp);
			continue;
		}
		if (col + 2 > TXT_COMMENT_COL) {
			fputs("  ", fp);
			col += 2;
		} else {
			fprintf(fp, "%*s", TXT_COMMENT_COL - col, "");
			col = TXT_COMMENT_COL;
		}
		doc_wrap(fp, r->comment, col, TXT_COMMENT_COL,
		    PLAN_TEXT_WIDTH);
	}
	txt_item(fp, TXT_INDENT2, "Outcome", outcome_words(t, buf,
	    sizeof buf));
}

static void
txt_voice(FILE *fp, const char *heading, const char *text)
{
	fputc('\n', fp);
	fprintf(fp, "%*s", TXT_INDENT, "");
	doc_wrap(fp, heading, TXT_INDENT, TXT_INDENT, PLAN_TEXT_WIDTH);
	txt_para(fp, TXT_INDENT2, text_or(text, NOT_RECORDED));
}

/* A line to sign on: "    Name: ______  Signed: ______  Date: ____" */
static void
txt_sign(FILE *fp, const char *who)
{
	fprintf(fp, "\n%*s", TXT_INDENT, "");
	doc_wrap(fp, who, TXT_INDENT, TXT_INDENT, PLAN_TEXT_WIDTH);
	fprintf(fp, "%*sName: %s  Signed: %s  Date: %s\n", TXT_INDENT2, "",
	    "__________________", "__________________", "__________");
}

static void
render_txt(const struct plan *pl, FILE *fp)
{
	char buf[BUF], heading[BUF + 64], d[16];
	int i;

	doc_wrap(fp, school_or(pl), 0, 0, PLAN_TEXT_WIDTH);
	snprintf(heading, sizeof heading, "%s: %s", plan_title(pl), pl->name);
	txt_title(fp, heading, '=');
	fprintf(fp, "Prepared on %s.", date_show(pl->today, d));
	if (pl->has_cycle)
		fprintf(fp, " Plan period %s.", period_words(pl->cy.plan_start,
		    pl->cy.plan_end, buf, sizeof buf));
	fputc('\n', fp);

	snprintf(heading, sizeof heading, "About %s", pl->forename);
	txt_heading(fp, heading);
	txt_item(fp, TXT_INDENT, "Name", pl->name);
	if (pl->legal[0] != '\0')
		txt_item(fp, TXT_INDENT, "Legal name", pl->legal);
	txt_item(fp, TXT_INDENT, "Date of birth", dob_words(pl, buf,
	    sizeof buf));
	txt_item(fp, TXT_INDENT, "Year group", year_words(pl->p.year, buf,
	    sizeof buf));
	if (pl->p.class_name[0] != '\0')
		txt_item(fp, TXT_INDENT, "Class", pl->p.class_name);
	txt_item(fp, TXT_INDENT, "SEN status", status_words(pl, buf,
	    sizeof buf));

	txt_heading(fp, "Needs");
	if (pl->p.n_needs <= 0)
		txt_para(fp, TXT_INDENT, "No type of need recorded.");
	for (i = 0; i < pl->p.n_needs; i++) {
		char rank[32], words[2 * BUF];
		const struct need_code *nc = need_find(pl->p.needs[i]);

		snprintf(words, sizeof words, "%s%s%s",
		    need_words(pl->p.needs[i], buf, sizeof buf),
		    nc != NULL && nc->area != AREA_NONE ? "; " : "",
		    nc != NULL && nc->area != AREA_NONE ?
		    area_name(nc->area) : "");
		txt_item(fp, TXT_INDENT, rank_words(i, rank, sizeof rank),
		    words);
	}

	txt_heading(fp, "Views");
	snprintf(heading, sizeof heading, "What %s said:", pl->forename);
	txt_voice(fp, heading, pl->has_cycle ? pl->cy.pupil_voice : NULL);
	txt_voice(fp, "What parents and carers said:",
	    pl->has_cycle ? pl->cy.parent_voice : NULL);

	txt_heading(fp, "Targets");
	if (pl->nt == 0)
		txt_para(fp, TXT_INDENT, "No targets set yet.");
	for (i = 0; i < pl->nt; i++)
		txt_target(fp, &pl->t[i]);

	txt_heading(fp, "Support in place");
	if (pl->npr == 0)
		txt_para(fp, TXT_INDENT, "No additional provision recorded.");
	for (i = 0; i < pl->npr; i++) {
		const struct enrolment *en = &pl->pr[i].en;

		if (i > 0)
			fputc('\n', fp);
		txt_para(fp, TXT_INDENT, pl->pr[i].name);
		if (en->staff[0] != '\0')
			txt_item(fp, TXT_INDENT2, "Who", en->staff);
		txt_item(fp, TXT_INDENT2, "How often", often_words(en, buf,
		    sizeof buf));
		txt_item(fp, TXT_INDENT2, "When", period_words(en->start,
		    en->end, buf, sizeof buf));
		if (measure_words(en, buf, sizeof buf)[0] != '\0')
			txt_item(fp, TXT_INDENT2, "Measure", buf);
	}

	txt_heading(fp, "Advice from outside agencies");
	if (pl->nag == 0)
		txt_para(fp, TXT_INDENT, "No outside agency involved.");
	for (i = 0; i < pl->nag; i++) {
		if (i > 0)
			fputc('\n', fp);
		txt_para(fp, TXT_INDENT, pl->ag[i].agency);
		txt_item(fp, TXT_INDENT2, "Involvement",
		    agency_words(&pl->ag[i], buf, sizeof buf));
		if (pl->ag[i].notes != NULL && *pl->ag[i].notes != '\0')
			txt_item(fp, TXT_INDENT2, "Advice", pl->ag[i].notes);
	}

	txt_heading(fp, "Review");
	txt_item(fp, TXT_INDENT, pl->has_cycle &&
	    pl->cy.closed_on != SDATE_NONE ? "Review" : "Next review",
	    review_words(pl, buf, sizeof buf));

	txt_heading(fp, "Agreed by");
	txt_sign(fp, "Parent or carer");
	txt_sign(fp, pl->forename);
	txt_sign(fp, "SENCO");
	fputc('\n', fp);
	snprintf(heading, sizeof heading, "Confidential: this plan holds "
	    "personal information about %s.", pl->name);
	doc_wrap(fp, heading, 0, 0, PLAN_TEXT_WIDTH);
}

/* --- the entry points ---------------------------------------------------------------- */

int
plan_format_parse(const char *s, enum plan_format *out, struct serr *e)
{
	if (s != NULL && strcasecmp(s, "html") == 0)
		*out = PLAN_HTML;
	else if (s != NULL && (strcasecmp(s, "md") == 0 ||
	    strcasecmp(s, "markdown") == 0))
		*out = PLAN_MD;
	else if (s != NULL && (strcasecmp(s, "txt") == 0 ||
	    strcasecmp(s, "text") == 0))
		*out = PLAN_TXT;
	else
		return serr_set(e, SE_INVALID, "format '%s' is not html, md or "
		    "txt", s != NULL ? s : "");
	return 0;
}

int
plan_format_for_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL || strchr(dot, '/') != NULL)
		return -1;
	if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)
		return PLAN_HTML;
	if (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0)
		return PLAN_MD;
	if (strcasecmp(dot, ".txt") == 0)
		return PLAN_TXT;
	return -1;
}

int
plan_write(struct db *db, int64_t pupil_id, enum plan_format f,
    const struct plan_opts *o, FILE *fp, struct serr *e)
{
	struct plan pl;
	int rc;

	if ((rc = plan_load(db, pupil_id, o, &pl, e)) != 0)
		return rc;
	switch (f) {
	case PLAN_MD:
		render_md(&pl, fp);
		break;
	case PLAN_TXT:
		render_txt(&pl, fp);
		break;
	default:
		render_html(&pl, fp);
		break;
	}
	plan_free(&pl);
	if (fflush(fp) != 0 || ferror(fp))
		return serr_set(e, SE_IO, "plan: writing failed: %s",
		    strerror(errno));
	return 0;
}

int
plan_save(struct db *db, int64_t pupil_id, enum plan_format f,
    const struct plan_opts *o, const char *path, struct serr *e)
{
	FILE *fp;
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd < 0 && errno == EEXIST)
		return serr_set(e, SE_EXISTS, "%s: already exists; senco does "
		    "not write over a file (choose another name)", path);
	if (fd < 0)
		return serr_set(e, SE_IO, "%s: %s", path, strerror(errno));
	if ((fp = fdopen(fd, "w")) == NULL) {
		rc = serr_set(e, SE_IO, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return rc;
	}
	rc = plan_write(db, pupil_id, f, o, fp, e);
	if (fclose(fp) != 0 && rc == 0)
		rc = serr_set(e, SE_IO, "%s: %s", path, strerror(errno));
	if (rc != 0)
		unlink(path);
	return rc;
}
