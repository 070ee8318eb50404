/*
 * regfilter.c: the register's filters (regfilter.h): the filter form,
 * ":filter" words and the description in the title bar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/codes.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/form.h"
#include "ui/regfilter.h"

bool
ui_regfilter_active(const struct register_query *q)
{
	return q->filter.status != 0 || q->filter.year[0] != '\0' ||
	    q->filter.need[0] != '\0' || q->stage >= 0 || q->overdue_only ||
	    q->flags != 0 || q->filter.include_archived ||
	    q->filter.include_n;
}

void
ui_regfilter_clear(struct register_query *q)
{
	q->filter.status = 0;
	q->filter.year[0] = '\0';
	q->filter.need[0] = '\0';
	q->filter.include_archived = false;
	q->filter.include_n = false;
	q->stage = -1;
	q->overdue_only = false;
	q->flags = 0;
}

char *
ui_regfilter_describe(const struct register_query *q, char *buf, size_t n)
{
	size_t used = 0;
	char fl[32];

	buf[0] = '\0';
	if (!ui_regfilter_active(q))
		return buf;
#define ADD(...) do { if (used < n) used += (size_t)snprintf(buf + used, \
	n - used, __VA_ARGS__); } while (0)
	ADD("filter:");
	if (q->filter.status != 0)
		ADD(" %c", q->filter.status);
	if (q->filter.need[0] != '\0')
		ADD(" %s", q->filter.need);
	if (q->filter.year[0] != '\0')
		ADD(" Y%s", q->filter.year);
	if (q->stage >= 0)
		ADD(" %s", stage_name((enum stage)q->stage));
	if (q->overdue_only)
		ADD(" overdue");
	if (q->flags != 0)
		ADD(" %s", flags_show(q->flags, fl));
	if (q->filter.include_archived || q->filter.include_n)
		ADD(" +archived/N");
#undef ADD
	return buf;
}

bool
ui_regfilter_command(struct app *a, struct register_query *q, int argc,
    char **argv)
{
	struct register_query nq = *q;
	char need[NEED_CODE_MAX], year[YEAR_MAX];
	bool historic;
	enum stage st;
	unsigned fl;
	int i;

	if (argc == 0) {
		ui_error(a, ":filter needs words: K, E, N, a need (ASD), a "
		    "year (Y7), a stage, overdue, PP..., all, or clear");
		return false;
	}
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (strcasecmp(w, "clear") == 0 || strcasecmp(w, "none") == 0)
			ui_regfilter_clear(&nq);
		else if (strcasecmp(w, "all") == 0) {
			nq.filter.include_archived = true;
			nq.filter.include_n = true;
		} else if (strcasecmp(w, "overdue") == 0)
			nq.overdue_only = true;
		else if (strlen(w) == 1 && strchr("KEN", w[0] & ~0x20)) {
			nq.filter.status = (char)(w[0] & ~0x20);
			if (nq.filter.status == 'N')
				nq.filter.include_n = true;
		} else if (need_parse(w, need, &historic, NULL) == 0)
			snprintf(nq.filter.need, sizeof nq.filter.need, "%s",
			    need);
		else if (stage_parse(w, &st, NULL) == 0)
			nq.stage = (int)st;
		else if (flags_parse(w, &fl, NULL) == 0)
			nq.flags |= fl;
		else if (year_parse(w, year, NULL) == 0)
			snprintf(nq.filter.year, sizeof nq.filter.year, "%s",
			    year);
		else {
			ui_error(a, ":filter: '%s' is not a status, need, year "
			    "group, stage, flag, overdue, all or clear", w);
			return false;
		}
	}
	*q = nq;
	return true;
}

/* --- the form --------------------------------------------------------- */

static const char *const status_choices[] = {
	"any", "K SEN support", "E EHC plan", "N no SEN (off the register)",
};
static const char *const stage_choices[] = {
	"any", "Assess", "Plan", "Do", "Review",
};
static const char *const yes_no[] = { "no", "yes" };

/* "any" then "SLCN Speech, language ..." for every census need. */
static const char *const *
need_choices(int *n)
{
	static char texts[NEED_CODE_COUNT][112];
	static const char *list[NEED_CODE_COUNT + 1];
	int i;

	if (list[0] == NULL) {
		list[0] = "any";
		for (i = 0; i < NEED_CODE_COUNT; i++) {
			snprintf(texts[i], sizeof texts[i], "%s %s",
			    need_codes[i].code, need_codes[i].name);
			list[i + 1] = texts[i];
		}
	}
	*n = NEED_CODE_COUNT + 1;
	return list;
}

struct filter_ctx {
	struct register_query *q;
	int status, need, year, stage, overdue, flags, all;
};

static int
filter_save(struct app *a, struct ui_form *f, void *vctx, struct serr *e)
{
	struct filter_ctx *c = vctx;
	struct register_query *q = c->q;
	int s = ui_form_choice(f, c->status), nd = ui_form_choice(f, c->need);

	q->filter.status = s == 0 ? 0 : status_choices[s][0];
	q->filter.need[0] = '\0';
	if (nd > 0)
		snprintf(q->filter.need, sizeof q->filter.need, "%s",
		    need_codes[nd - 1].code);
	snprintf(q->filter.year, sizeof q->filter.year, "%s",
	    ui_form_text(f, c->year));
	q->stage = ui_form_choice(f, c->stage) - 1;
	q->overdue_only = ui_form_choice(f, c->overdue) == 1;
	q->flags = ui_form_flags(f, c->flags);
	q->filter.include_archived = ui_form_choice(f, c->all) == 1;
	q->filter.include_n = q->filter.include_archived ||
	    q->filter.status == 'N';
	ui_form_done_message(f, ui_regfilter_active(q) ? "filters set: F "
	    "clears them" : "no filters");
	return 0;
}

void
ui_regfilter_open(struct app *a, struct register_query *q,
    struct ui_screen *owner)
{
	struct filter_ctx *c = xcalloc(1, sizeof *c);
	struct ui_form *f;
	char flags[32], st[2] = { q->filter.status, 0 };
	int n_need;
	const char *const *needs = need_choices(&n_need);

	(void)owner;
	c->q = q;
	f = ui_form_new("Filter the register", filter_save, c, free);
	c->status = ui_form_add(f, &(struct ui_field){ .label = "Status",
	    .kind = FIELD_CHOICE, .choices = status_choices, .n_choices = 4,
	    .rule = "SEN status: K SEN support, E EHC plan, N no SEN" },
	    st[0] ? st : "any");
	c->need = ui_form_add(f, &(struct ui_field){ .label = "Need",
	    .kind = FIELD_CHOICE, .choices = needs, .n_choices = n_need,
	    .rule = "a census type of need, any rank" },
	    q->filter.need[0] ? q->filter.need : "any");
	c->year = ui_form_add(f, &(struct ui_field){ .label = "Year group",
	    .kind = FIELD_YEAR, .rule = "N1, N2, R, 1 to 14 or X; empty for "
	    "any" }, q->filter.year);
	c->stage = ui_form_add(f, &(struct ui_field){ .label = "Stage",
	    .kind = FIELD_CHOICE, .choices = stage_choices, .n_choices = 5,
	    .rule = "the stage of the open cycle" },
	    q->stage >= 0 ? stage_choices[q->stage + 1] : "any");
	c->overdue = ui_form_add(f, &(struct ui_field){ .label =
	    "Overdue only", .kind = FIELD_CHOICE, .choices = yes_no,
	    .n_choices = 2, .rule = "only pupils whose review date has "
	    "passed" }, q->overdue_only ? "yes" : "no");
	c->flags = ui_form_add(f, &(struct ui_field){ .label = "Flags",
	    .kind = FIELD_FLAGS, .rule = "pupils with all of: PP FSM CiC EAL;"
	    " empty for any" }, q->flags ? flags_show(q->flags, flags) : "");
	c->all = ui_form_add(f, &(struct ui_field){ .label =
	    "Archived and N", .kind = FIELD_CHOICE, .choices = yes_no,
	    .n_choices = 2, .rule = "also show archived pupils and pupils "
	    "with status N" }, q->filter.include_archived ? "yes" : "no");
	ui_form_open(a, f);
}
