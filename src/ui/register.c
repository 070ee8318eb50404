/*
 * register.c: the home screen: the SEN register, one row per pupil, read
 * from the core a window (one screenful) at a time so a register of
 * 100,000 pupils opens as fast as one of 50. Sorting, filtering and
 * search happen in the core's query; this file only draws and moves.
 *
 * Moving the cursor inside the page redraws the two rows it touched;
 * scrolling redraws the list (curses turns that into a scroll).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/codes.h"
#include "core/derive.h"
#include "core/pupil.h"
#include "core/register.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/dashboard.h"
#include "ui/draw.h"
#include "ui/provision.h"
#include "ui/pupil.h"
#include "ui/pupilform.h"
#include "ui/register.h"
#include "ui/regfilter.h"
#include "ui/review.h"

/* Column widths in cells; the name takes what is left. */
#define COL_YEAR 3
#define COL_STATUS 2
#define COL_NEED 4
#define COL_STAGE 6
#define COL_REVIEW 18
#define COL_TRACK 5
#define COL_COST 4
#define COL_GAP 1
#define COL_NAME_MIN 20
#define LIST_TOP (UI_BODY_TOP + 1)	/* below the headings */

struct reg {
	struct ui_screen base;
	struct register_query q;
	char text[128];		/* the search as typed (q.filter.text) */
	int count;		/* rows the query gives */
	int n_k, n_e;		/* on the register by status */
	int cur, top;		/* cursor and first row shown */
	struct register_row *rows;	/* the window: positions top.. */
	int n_rows, page;
	bool list_dirty;	/* redraw every list row */
	int dirty[2];		/* or just these positions (-1 none) */
	unsigned long gen;
	int search_origin;
	int match, n_match;	/* the match under the cursor, of how many */
	bool searching;
};

static const char *const sort_names[REGISTER_SORT_COUNT] = {
	"name", "year", "status", "need", "stage", "review", "track", "cost",
};

static int
name_width(const struct app *a)
{
	int w = a->cols - (COL_YEAR + COL_STATUS + COL_NEED + COL_STAGE +
	    COL_REVIEW + COL_TRACK + COL_COST + 8 * COL_GAP);

	return w < COL_NAME_MIN ? COL_NAME_MIN : w;
}

/* --- loading ---------------------------------------------------------- */

static void
load_counts(struct reg *r, struct app *a)
{
	struct register_query q;
	struct serr e;

	serr_clear(&e);
	if (register_count(a->db, &r->q, &r->count, &e) != 0) {
		r->count = 0;
		ui_error_serr(a, &e);
	}
	register_query_init(&q);
	q.topup_pence = r->q.topup_pence;
	q.filter.status = 'K';
	if (register_count(a->db, &q, &r->n_k, &e) != 0)
		r->n_k = 0;
	q.filter.status = 'E';
	if (register_count(a->db, &q, &r->n_e, &e) != 0)
		r->n_e = 0;
}

static void
load_window(struct reg *r, struct app *a)
{
	struct serr e;

	r->page = ui_body_rows(a) - 1;
	if (r->page < 1)
		r->page = 1;
	if (r->cur >= r->count)
		r->cur = r->count - 1;
	if (r->cur < 0)
		r->cur = 0;
	if (r->cur < r->top)
		r->top = r->cur;
	if (r->cur >= r->top + r->page)
		r->top = r->cur - r->page + 1;
	if (r->top > r->count - r->page)
		r->top = r->count - r->page;
	if (r->top < 0)
		r->top = 0;
	r->rows = xreallocarray(r->rows, (size_t)r->page, sizeof *r->rows);
	serr_clear(&e);
	r->n_rows = 0;
	if (r->count > 0 && register_window(a->db, &r->q, r->top, r->page,
	    r->rows, &r->n_rows, &e) != 0)
		ui_error_serr(a, &e);
	r->list_dirty = true;
}

/* Reload after a change, keeping the cursor on the same pupil. */
static void
reload(struct reg *r, struct app *a)
{
	int64_t id = 0;
	int pos;
	struct serr e;

	if (r->cur - r->top >= 0 && r->cur - r->top < r->n_rows)
		id = r->rows[r->cur - r->top].pupil_id;
	load_counts(r, a);
	serr_clear(&e);
	if (id != 0 && register_position(a->db, &r->q, id, &pos, &e) == 0)
		r->cur = pos;
	load_window(r, a);
	r->gen = ui_generation(a);
	r->base.full = true;
}

static const struct register_row *
current(const struct reg *r)
{
	int i = r->cur - r->top;

	return i >= 0 && i < r->n_rows ? &r->rows[i] : NULL;
}

/* --- moving ----------------------------------------------------------- */

static void
move_to(struct reg *r, struct app *a, int pos)
{
	int old = r->cur;

	if (r->count == 0)
		return;
	if (pos >= r->count)
		pos = r->count - 1;
	if (pos < 0)
		pos = 0;
	if (pos == old)
		return;
	r->cur = pos;
	if (pos >= r->top && pos < r->top + r->page && r->n_rows > 0) {
		/* within the page: only two rows change */
		r->dirty[0] = old;
		r->dirty[1] = pos;
		return;
	}
	load_window(r, a);
}

/* --- drawing ---------------------------------------------------------- */

static void
review_text(const struct register_row *row, char *buf, size_t n)
{
	char d[16];

	if (row->review_date == SDATE_NONE) {
		snprintf(buf, n, "-");
		return;
	}
	date_show(row->review_date, d);
	/* overdue is said in words, not only in colour */
	snprintf(buf, n, "%s%s", d, row->overdue ? " overdue" : "");
}

static void
draw_row(struct reg *r, struct app *a, int pos)
{
	int y = LIST_TOP + pos - r->top, x = 0, w;
	const struct register_row *row;
	bool sel = pos == r->cur;
	int base = sel ? ui_style_attr(ST_SELECTED) : (int)A_NORMAL;
	char name[2 * NAME_MAX_BYTES + 16], buf[64];

	if (pos - r->top < 0 || pos - r->top >= r->page)
		return;
	if (pos - r->top >= r->n_rows) {
		ui_blank(y, 0, a->cols, A_NORMAL);
		return;
	}
	row = &r->rows[pos - r->top];
	w = name_width(a);
	snprintf(name, sizeof name, "%s, %s%s", row->surname, row->forename,
	    row->archived ? " (archived)" : "");
	ui_draw(y, x, w, name, row->archived && !sel ?
	    ui_style_attr(ST_DIM) : base);
	x += w;
	ui_blank(y, x++, COL_GAP, base);
	ui_draw(y, x, COL_YEAR, row->year, base);
	x += COL_YEAR;
	ui_blank(y, x++, COL_GAP, base);
	buf[0] = row->status;
	buf[1] = '\0';
	ui_draw(y, x, COL_STATUS, buf, base);
	x += COL_STATUS;
	ui_blank(y, x++, COL_GAP, base);
	ui_draw(y, x, COL_NEED, row->need[0] ? row->need : "-", base);
	x += COL_NEED;
	ui_blank(y, x++, COL_GAP, base);
	ui_draw(y, x, COL_STAGE, row->stage >= 0 ?
	    stage_name((enum stage)row->stage) : "-", base);
	x += COL_STAGE;
	ui_blank(y, x++, COL_GAP, base);
	review_text(row, buf, sizeof buf);
	ui_draw(y, x, COL_REVIEW, buf, row->overdue ?
	    base | ui_style_attr(ST_OVERDUE) : base);
	x += COL_REVIEW;
	ui_blank(y, x++, COL_GAP, base);
	if (row->targets > 0)
		snprintf(buf, sizeof buf, "%d/%d", row->on_track,
		    row->targets);
	else
		snprintf(buf, sizeof buf, "-");
	ui_draw_right(y, x, COL_TRACK, buf, row->targets > 0 &&
	    row->on_track < row->targets ? base | ui_style_attr(ST_WARN) :
	    base);
	x += COL_TRACK;
	ui_blank(y, x++, COL_GAP, base);
	ui_draw(y, x, COL_COST, row->over_topup ? "over" : "",
	    row->over_topup ? base | ui_style_attr(ST_WARN) : base);
	x += COL_COST;
	if (x < a->cols)
		ui_blank(y, x, a->cols - x, base);
}

static void
draw_headings(struct reg *r, struct app *a)
{
	static const char *const heads[] = {
		"Name", "Yr", "St", "Need", "Stage", "Next review", "Track",
		"Cost",
	};
	static const enum register_sort col_sort[] = {
		REGISTER_SORT_NAME, REGISTER_SORT_YEAR, REGISTER_SORT_STATUS,
		REGISTER_SORT_NEED, REGISTER_SORT_STAGE, REGISTER_SORT_REVIEW,
		REGISTER_SORT_TRACK, REGISTER_SORT_COST,
	};
	int widths[8] = { name_width(a), COL_YEAR, COL_STATUS, COL_NEED,
		COL_STAGE, COL_REVIEW, COL_TRACK, COL_COST };
	int x = 0, i, att = ui_style_attr(ST_HEADING);
	char buf[48];

	for (i = 0; i < 8; i++) {
		/* the sort column carries its direction in text */
		if (col_sort[i] == r->q.sort)
			snprintf(buf, sizeof buf, "%s%s", heads[i],
			    r->q.descending ? ui_sym_down() : ui_sym_up());
		else
			snprintf(buf, sizeof buf, "%s", heads[i]);
		ui_draw(UI_BODY_TOP, x, widths[i], buf, att);
		x += widths[i];
		if (i < 7)
			ui_blank(UI_BODY_TOP, x++, COL_GAP, A_NORMAL);
	}
	if (x < a->cols)
		ui_blank(UI_BODY_TOP, x, a->cols - x, A_NORMAL);
}

static void
set_title(struct reg *r, struct app *a)
{
	const char *school = a->cfg != NULL && a->cfg->school_name != NULL ?
	    a->cfg->school_name : "SEN register";
	char filters[160];
	const char *dot = ui_utf8() ? "\xc2\xb7" : "-";

	ui_regfilter_describe(&r->q, filters, sizeof filters);
	ui_title(a, "senco %s %s %s K %d  E %d %s %d shown%s%s%s", dot, school,
	    dot, r->n_k, r->n_e, dot, r->count, filters[0] ? " " : "",
	    filters[0] ? dot : "", filters);
}

static void
draw_empty(struct reg *r, struct app *a)
{
	int y = LIST_TOP + 1;

	if (r->q.filter.text != NULL || ui_regfilter_active(&r->q))
		ui_draw(y, 2, a->cols - 4, "No pupil matches: F clears the "
		    "filters, A shows archived pupils and status N too.",
		    A_NORMAL);
	else
		ui_draw(y, 2, a->cols - 4, "No pupils on the SEN register yet: "
		    "add them with 'senco pupil add' (or try 'senco demo').",
		    A_NORMAL);
}

static void
reg_draw(struct ui_screen *s, struct app *a, bool full)
{
	struct reg *r = (struct reg *)s;
	int i;

	if (full) {
		if (r->page != ui_body_rows(a) - 1)
			load_window(r, a);
		draw_headings(r, a);
		r->list_dirty = true;
	}
	set_title(r, a);
	if (r->list_dirty) {
		for (i = r->top; i < r->top + r->page; i++)
			draw_row(r, a, i);
		if (r->count == 0)
			draw_empty(r, a);
		r->list_dirty = false;
	} else {
		for (i = 0; i < 2; i++)
			if (r->dirty[i] >= 0)
				draw_row(r, a, r->dirty[i]);
	}
	r->dirty[0] = r->dirty[1] = -1;
}

/* --- search ----------------------------------------------------------- */

/*
 * The matches of a search are the register's query with the text added,
 * in the same order. A search keeps the index k of the match under the
 * cursor among the m matches; each step asks the core for match k and
 * its position in the register: three small queries, never the list.
 */
static int
match_pos(struct reg *r, struct app *a, const struct register_query *mq,
    int k)
{
	struct register_row row;
	int got = 0, pos = -1;
	struct serr e;

	serr_clear(&e);
	if (register_window(a->db, mq, k, 1, &row, &got, &e) != 0 ||
	    got != 1)
		return -1;
	if (register_position(a->db, &r->q, row.pupil_id, &pos, &e) != 0)
		return -1;
	return pos;
}

/* Go to match k of the search (k wraps round); false if none. */
static bool
search_go(struct reg *r, struct app *a, int k, bool count)
{
	struct register_query mq = r->q;
	struct serr e;
	int pos;

	if (r->text[0] == '\0')
		return false;
	mq.filter.text = r->text;
	serr_clear(&e);
	if (count && register_count(a->db, &mq, &r->n_match, &e) != 0) {
		ui_error_serr(a, &e);
		return false;
	}
	if (r->n_match <= 0) {
		ui_error(a, "no pupil matches '%s' (name or UPN)", r->text);
		return false;
	}
	k = ((k % r->n_match) + r->n_match) % r->n_match;
	if ((pos = match_pos(r, a, &mq, k)) < 0)
		return false;
	r->match = k;
	move_to(r, a, pos);
	ui_message(a, "match %d of %d for '%s'", k + 1, r->n_match, r->text);
	return true;
}

static void
search_change(struct app *a, void *ctx, const char *text)
{
	struct reg *r = ctx;

	snprintf(r->text, sizeof r->text, "%s", text);
	if (*text == '\0') {
		move_to(r, a, r->search_origin);
		return;
	}
	search_go(r, a, 0, true);
}

static void
search_done(struct app *a, void *ctx, bool accepted, const char *text)
{
	struct reg *r = ctx;

	r->searching = false;
	if (!accepted) {
		r->text[0] = '\0';
		move_to(r, a, r->search_origin);
		return;
	}
	snprintf(r->text, sizeof r->text, "%s", text);
	if (r->text[0] != '\0' && current(r) != NULL)
		ui_message(a, "n and N go to the next and previous match; "
		    "Enter opens the pupil");
}

/* --- keys and commands ------------------------------------------------ */

static void
requery(struct reg *r, struct app *a, bool keep)
{
	if (keep)
		reload(r, a);
	else {
		load_counts(r, a);
		r->cur = r->top = 0;
		load_window(r, a);
		r->base.full = true;
	}
}

static bool
reg_key(struct ui_screen *s, struct app *a, enum ui_action act, int key)
{
	struct reg *r = (struct reg *)s;
	const struct register_row *row;

	switch (act) {
	case ACT_DOWN:
		move_to(r, a, r->cur + 1);
		return true;
	case ACT_UP:
		move_to(r, a, r->cur - 1);
		return true;
	case ACT_PAGE_DOWN:
		r->top += r->page;
		if (r->top > r->count - r->page)
			r->top = r->count - r->page;
		if (r->top < 0)
			r->top = 0;
		r->cur = r->cur + r->page < r->count ? r->cur + r->page :
		    r->count - 1;
		load_window(r, a);
		return true;
	case ACT_PAGE_UP:
		r->top -= r->page;
		if (r->top < 0)
			r->top = 0;
		r->cur = r->cur - r->page > 0 ? r->cur - r->page : 0;
		load_window(r, a);
		return true;
	case ACT_TOP:
		move_to(r, a, 0);
		return true;
	case ACT_BOTTOM:
		move_to(r, a, r->count - 1);
		return true;
	case ACT_OPEN:
		if ((row = current(r)) == NULL) {
			ui_message(a, "no pupil here to open");
			return true;
		}
		ui_pupil_open(a, row->pupil_id);
		return true;
	case ACT_REVIEW:
		if ((row = current(r)) == NULL) {
			ui_message(a, "no pupil here to review");
			return true;
		}
		ui_review_open(a, row->pupil_id);
		return true;
	case ACT_PROVISION:
		ui_provision_open(a);
		return true;
	case ACT_DASHBOARD:
		ui_dashboard_open(a);
		return true;
	case ACT_SEARCH:
		r->search_origin = r->cur;
		r->searching = true;
		r->text[0] = '\0';
		ui_prompt_open(a, "/", "", search_change, search_done, r);
		return true;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		if (r->text[0] == '\0') {
			ui_message(a, "no search yet: / starts one");
			return true;
		}
		search_go(r, a, r->match + (act == ACT_SEARCH_NEXT ? 1 : -1),
		    false);
		return true;
	case ACT_SORT:
		r->q.sort = (enum register_sort)((r->q.sort + 1) %
		    REGISTER_SORT_COUNT);
		requery(r, a, true);
		ui_message(a, "sorted by %s", sort_names[r->q.sort]);
		return true;
	case ACT_SORT_REVERSE:
		r->q.descending = !r->q.descending;
		requery(r, a, true);
		return true;
	case ACT_FILTER:
		ui_regfilter_open(a, &r->q, &r->base);
		return true;
	case ACT_FILTER_CLEAR:
		ui_regfilter_clear(&r->q);
		requery(r, a, true);
		ui_message(a, "filters cleared");
		return true;
	case ACT_PUPIL_ADD:
		ui_pupilform_open(a, NULL);
		return true;
	case ACT_SHOW_ALL:
		r->q.filter.include_archived = !r->q.filter.include_archived;
		r->q.filter.include_n = r->q.filter.include_archived;
		requery(r, a, true);
		ui_message(a, r->q.filter.include_archived ?
		    "showing archived pupils and status N too" :
		    "showing pupils on the register only (K and E)");
		return true;
	case ACT_BACK:
		if (r->text[0] != '\0') {
			r->text[0] = '\0';
			ui_message(a, "search cleared");
			return true;
		}
		return true;	/* Esc never quits from home */
	case ACT_QUIT:
		a->quit = true;
		return true;
	default:
		return false;
	}
}

static void
goto_pupil(struct reg *r, struct app *a, const char *what)
{
	struct pupil p;
	struct register_query mq = r->q;
	struct serr e;
	int m = 0, pos;

	serr_clear(&e);
	if (strlen(what) == UPN_LEN &&
	    pupil_find_upn(a->db, what, &p, &e) == 0) {
		if (register_position(a->db, &r->q, p.id, &pos, &e) == 0)
			move_to(r, a, pos);
		ui_pupil_open(a, p.id);
		return;
	}
	/* a name (or part of a UPN): search the whole caseload, so an
	 * archived pupil can be reached too */
	mq.filter.text = what;
	mq.filter.include_archived = true;
	mq.filter.include_n = true;
	serr_clear(&e);
	if (register_count(a->db, &mq, &m, &e) != 0) {
		ui_error_serr(a, &e);
		return;
	}
	if (m == 0) {
		ui_error(a, "no pupil matches '%s' (give a UPN or part of a "
		    "name)", what);
		return;
	}
	if (m == 1) {
		struct register_row row;
		int got = 0;
		if (register_window(a->db, &mq, 0, 1, &row, &got, &e) == 0 &&
		    got == 1) {
			if (register_position(a->db, &r->q, row.pupil_id, &pos,
			    &e) == 0)
				move_to(r, a, pos);
			ui_pupil_open(a, row.pupil_id);
		}
		return;
	}
	snprintf(r->text, sizeof r->text, "%s", what);
	search_go(r, a, 0, true);
	ui_message(a, "%d pupils match '%s': n and N step through them, "
	    "Enter opens one", m, what);
}

static bool
reg_command(struct ui_screen *s, struct app *a, int argc, char **argv)
{
	struct reg *r = (struct reg *)s;
	char buf[256];
	size_t used = 0;
	int i;

	if (strcmp(argv[0], "goto") == 0 || strcmp(argv[0], "g") == 0) {
		if (argc < 2) {
			ui_error(a, ":goto needs a UPN or a name");
			return true;
		}
		for (i = 1; i < argc && used < sizeof buf - 1; i++)
			used += (size_t)snprintf(buf + used, sizeof buf - used,
			    "%s%s", i > 1 ? " " : "", argv[i]);
		goto_pupil(r, a, buf);
		return true;
	}
	if (strcmp(argv[0], "sort") == 0) {
		for (i = 0; i < REGISTER_SORT_COUNT; i++)
			if (argc > 1 && strcasecmp(argv[1], sort_names[i]) == 0)
				break;
		if (i == REGISTER_SORT_COUNT) {
			ui_error(a, ":sort needs one of name, year, status, "
			    "need, stage, review, track, cost");
			return true;
		}
		r->q.sort = (enum register_sort)i;
		r->q.descending = argc > 2 && (strcasecmp(argv[2], "desc") == 0
		    || strcasecmp(argv[2], "reverse") == 0);
		requery(r, a, true);
		return true;
	}
	if (strcmp(argv[0], "filter") == 0) {
		if (ui_regfilter_command(a, &r->q, argc - 1, argv + 1))
			requery(r, a, false);
		return true;
	}
	return false;
}

static unsigned
reg_scopes(struct ui_screen *s, struct app *a)
{
	return SC_GLOBAL | SC_MOVE | SC_SEARCH | SC_REGISTER;
}

static void
reg_resume(struct ui_screen *s, struct app *a)
{
	struct reg *r = (struct reg *)s;

	/* a filter form may have changed the query, a pupil screen the
	 * data: either way read the window again */
	reload(r, a);
}

static void
reg_destroy(struct ui_screen *s)
{
	struct reg *r = (struct reg *)s;

	free(r->rows);
	free(r);
}

static const struct ui_screen_ops reg_ops = {
	.name = "Register",
	.scopes = reg_scopes,
	.draw = reg_draw,
	.key = reg_key,
	.resume = reg_resume,
	.command = reg_command,
	.destroy = reg_destroy,
};

void
ui_register_open(struct app *a)
{
	struct reg *r = xcalloc(1, sizeof *r);

	r->base.ops = &reg_ops;
	register_query_init(&r->q);
	r->q.topup_pence = a->cfg != NULL ? a->cfg->topup_pence :
	    CONFIG_DEFAULT_TOPUP_PENCE;
	r->dirty[0] = r->dirty[1] = -1;
	r->page = ui_body_rows(a) - 1;
	ui_push(a, &r->base);
	load_counts(r, a);
	load_window(r, a);
	r->gen = ui_generation(a);
}
