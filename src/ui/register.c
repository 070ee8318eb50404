/*
 * register.c: the home screen: the SEN register, one row per pupil, read
 * from the core a window (one screenful) at a time so a register of
 * 100,000 pupils opens as fast as one of 50. Sorting, filtering and
 * search happen in the core's query; this file only draws and moves.
 *
 * The window is found by the sort key of a row already shown
 * (register_page: keyset paging), never by an offset: scrolling, paging
 * and jumping to the end each read one page whatever the position, and
 * nothing here needs the cursor's number in the list.
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
#include "ui/ehcui.h"
#include "ui/importui.h"
#include "ui/mergeui.h"
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

/* :goto counts the pupils a name matches no further than this. */
#define SEARCH_COUNT_MAX 1000
/* On a register longer than SEARCH_SCAN_MAX, searching as you type waits
 * for SEARCH_TYPED_MIN characters (Enter searches for fewer): from three
 * the core's trigram index finds the matches, below it every name must be
 * read, and one or two letters match most of a long register anyway. */
#define SEARCH_TYPED_MIN 3
#define SEARCH_SCAN_MAX 2000
/* Rows kept above a search match brought into view. */
#define MATCH_CONTEXT 3
/* Searching as you type through the core's search index, a key counts
 * the matches no further than this ("match 1 of 20+": type more), so
 * that it costs the same at 100,000 pupils as at 1,000. */
#define MATCH_COUNT_MAX 20

struct reg {
	struct ui_screen base;
	struct register_query q;
	char text[128];		/* the search as typed (q.filter.text) */
	int count;		/* rows the query gives */
	int n_k, n_e;		/* on the register by status */
	struct register_row *rows;	/* the window, the first row shown on */
	struct register_row *tmp;	/* a page being read */
	/* Rows read ahead for the cursor scrolling a row at a time: a
	 * page's worth past the window's edge in one query instead of one
	 * query a row (more_dir 1: after the last row, -1: before the
	 * first; the next to use is more[more_pos], for -1 counted from
	 * the end). Any other change of the window drops them. */
	struct register_row *more;
	int n_more, more_pos, more_dir;
	int n_rows, page;
	int cur;		/* the cursor's row in the window */
	bool list_dirty;	/* redraw every list row */
	int scrolled;		/* the list moved up (1) or down (-1) a row */
	int dirty[2];		/* or just these rows of the window (-1 none):
				 * their names, where the cursor shows */
	int fresh;		/* or the whole of this one (-1 none) */
	unsigned long gen;	/* ui_generation() the counts are for */
	int64_t data_version;	/* and the caseload's, for other users' */
	struct register_query counted;	/* and the query */
	/* where a search started, for Esc */
	struct register_row origin;
	int origin_cur;
	bool have_origin;
	struct register_row match_row;	/* the match under the cursor */
	/* its number (from 0; below 0 counted from the last, -1 the last,
	 * when the count stopped short of it), of how many (n_least: at
	 * least) */
	int match, n_match;
	bool n_least;
	bool ranked;		/* found through the search index, by rank */
	/* the query searched (another order or filter: n and N start the
	 * search again) */
	struct register_query searched;
	bool searching;
	bool deferred;		/* text typed but not searched yet */
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
	struct serr e;

	serr_clear(&e);
	if (register_totals(a->db, &r->n_k, &r->n_e, &e) != 0)
		r->n_k = r->n_e = 0;
	/* the whole register needs no count of its own */
	if (!ui_regfilter_active(&r->q))
		r->count = r->n_k + r->n_e;
	else if (register_count(a->db, &r->q, &r->count, &e) != 0) {
		r->count = 0;
		ui_error_serr(a, &e);
	}
	r->gen = ui_generation(a);
	if (db_data_version(a->db, &r->data_version, NULL) != 0)
		r->data_version = -1;
	r->counted = r->q;
}

/* Do a and b count the same rows? */
static bool
same_rows(const struct register_query *a, const struct register_query *b)
{
	return a->filter.include_archived == b->filter.include_archived &&
	    a->filter.include_n == b->filter.include_n &&
	    a->filter.status == b->filter.status &&
	    strcmp(a->filter.year, b->filter.year) == 0 &&
	    strcmp(a->filter.need, b->filter.need) == 0 &&
	    a->stage == b->stage && a->overdue_only == b->overdue_only &&
	    a->flags == b->flags && a->today == b->today;
}

/* Counts again only when something was written since (here, or by
 * another user of the caseload) or the filters changed: counting 100,000
 * rows is the dearest thing the register does. */
static void
refresh_counts(struct reg *r, struct app *a)
{
	int64_t v;

	if (r->gen == ui_generation(a) &&
	    same_rows(&r->counted, &r->q) &&
	    db_data_version(a->db, &v, NULL) == 0 && v == r->data_version)
		return;
	load_counts(r, a);
}

static void
set_page(struct reg *r, struct app *a)
{
	r->page = ui_body_rows(a) - 1;
	if (r->page < 1)
		r->page = 1;
	r->rows = xreallocarray(r->rows, (size_t)r->page, sizeof *r->rows);
	r->tmp = xreallocarray(r->tmp, (size_t)r->page, sizeof *r->tmp);
	r->more = xreallocarray(r->more, (size_t)r->page, sizeof *r->more);
	r->n_more = 0;
}

/* Up to n rows of q into out (the error shown); how many. */
static int
fetch(struct reg *r, struct app *a, const struct register_query *q,
    enum register_from from, const struct register_row *at, int n,
    struct register_row *out)
{
	struct serr e;
	int got = 0;

	serr_clear(&e);
	if (register_page(a->db, q, from, at, n, out, &got, &e) != 0) {
		ui_error_serr(a, &e);
		return 0;
	}
	return got;
}

/*
 * Fill the window from a place: the page from there on, topped up with
 * the rows before it when the list ends first (so the last page is a
 * full one). at is copied first: it may be a row of the window.
 */
static void
fill(struct reg *r, struct app *a, enum register_from from,
    const struct register_row *at)
{
	struct register_row anchor;
	int got, more;

	if (at != NULL) {
		anchor = *at;
		at = &anchor;
	}
	r->n_more = 0;
	got = fetch(r, a, &r->q, from, at, r->page, r->rows);
	if (got > 0 && got < r->page && from != REGISTER_FIRST &&
	    from != REGISTER_LAST) {
		more = fetch(r, a, &r->q, REGISTER_BEFORE, &r->rows[0],
		    r->page - got, r->tmp);
		memmove(r->rows + more, r->rows, (size_t)got * sizeof *r->rows);
		memcpy(r->rows, r->tmp, (size_t)more * sizeof *r->rows);
		got += more;
	} else if (got == 0 && from != REGISTER_FIRST &&
	    from != REGISTER_LAST)
		got = fetch(r, a, &r->q, REGISTER_LAST, NULL, r->page,
		    r->rows);
	r->n_rows = got;
	if (r->cur >= r->n_rows)
		r->cur = r->n_rows - 1;
	if (r->cur < 0)
		r->cur = 0;
	r->list_dirty = true;
}

/* The cursor on a pupil if the window shows them. */
static bool
cursor_to(struct reg *r, int64_t id)
{
	for (int i = 0; i < r->n_rows; i++)
		if (r->rows[i].pupil_id == id) {
			r->cur = i;
			return true;
		}
	return false;
}

/* Bring row (of the current order) into view with the cursor on it: where
 * it is if the window shows it, else a few rows from the top. */
static void
show_row(struct reg *r, struct app *a, const struct register_row *row)
{
	struct register_row at = *row;
	int old = r->cur, before;

	if (cursor_to(r, at.pupil_id)) {
		if (r->cur != old) {
			r->dirty[0] = old;
			r->dirty[1] = r->cur;
		}
		return;
	}
	before = fetch(r, a, &r->q, REGISTER_BEFORE, &at,
	    MATCH_CONTEXT < r->page ? MATCH_CONTEXT : 0, r->tmp);
	if (before > 0)
		fill(r, a, REGISTER_AT, &r->tmp[0]);
	else
		fill(r, a, REGISTER_AT, &at);
	if (!cursor_to(r, at.pupil_id))
		r->cur = 0;
}

/* The pupil's row in the current order (any filters of q), if q shows
 * them: found through the search index by UPN. */
static bool
row_of(struct reg *r, struct app *a, const struct register_row *old,
    struct register_row *out)
{
	struct register_query mq = r->q;
	struct register_row two[2];
	struct serr e;
	int got = 0;

	mq.filter.text = old->upn;
	serr_clear(&e);
	if (register_page(a->db, &mq, REGISTER_FIRST, NULL, 2, two, &got,
	    &e) != 0)
		return false;
	for (int i = 0; i < got; i++)
		if (two[i].pupil_id == old->pupil_id) {
			*out = two[i];
			return true;
		}
	return false;
}

static const struct register_row *
current(const struct reg *r)
{
	return r->cur >= 0 && r->cur < r->n_rows ? &r->rows[r->cur] : NULL;
}

/*
 * Read the window again, keeping the cursor on the same pupil. Same
 * order: from the first row shown (keyset, so rows added or removed
 * above do not shift it). A new order or filter: the pupil's row in the
 * new order, or the top when it is filtered out.
 */
static void
reload(struct reg *r, struct app *a, bool same_order)
{
	struct register_row top, cur, now;
	bool had = r->n_rows > 0;

	if (had) {
		top = r->rows[0];
		cur = r->rows[r->cur < r->n_rows ? r->cur : 0];
	}
	refresh_counts(r, a);
	if (had && same_order) {
		fill(r, a, REGISTER_AT, &top);
		if (!cursor_to(r, cur.pupil_id) && row_of(r, a, &cur, &now))
			show_row(r, a, &now);
	} else if (had && row_of(r, a, &cur, &now)) {
		r->n_rows = 0;
		show_row(r, a, &now);
	} else {
		r->cur = 0;
		fill(r, a, REGISTER_FIRST, NULL);
	}
	r->base.full = true;
}

/* --- moving ----------------------------------------------------------- */

static void
mark(struct reg *r, int old)
{
	if (old != r->cur) {
		r->dirty[0] = old;
		r->dirty[1] = r->cur;
	}
}

/* The row past the window's edge in direction dir into *out, from the
 * rows read ahead, reading the next page's worth when they run out;
 * false at the end of the list. */
static bool
next_row(struct reg *r, struct app *a, int dir, struct register_row *out)
{
	if (r->more_dir != dir || r->more_pos >= r->n_more) {
		r->n_more = fetch(r, a, &r->q, dir > 0 ? REGISTER_AFTER :
		    REGISTER_BEFORE, dir > 0 ? &r->rows[r->n_rows - 1] :
		    &r->rows[0], r->page, r->more);
		r->more_dir = dir;
		r->more_pos = 0;
	}
	if (r->more_pos >= r->n_more)
		return false;
	/* rows before come in the list's order, the nearest last */
	*out = r->more[dir > 0 ? r->more_pos : r->n_more - 1 - r->more_pos];
	r->more_pos++;
	return true;
}

/* One row down (dir 1) or up (-1); past the window's edge the list
 * scrolls by a row. */
static void
step(struct reg *r, struct app *a, int dir)
{
	struct register_row next;
	int old = r->cur;

	if (r->n_rows == 0)
		return;
	if (r->cur + dir >= 0 && r->cur + dir < r->n_rows) {
		r->cur += dir;
		mark(r, old);
		return;
	}
	if (!next_row(r, a, dir, &next))
		return;
	if (dir > 0) {
		memmove(r->rows, r->rows + 1, (size_t)(r->n_rows - 1) *
		    sizeof *r->rows);
		r->rows[r->n_rows - 1] = next;
	} else {
		memmove(r->rows + 1, r->rows, (size_t)(r->n_rows - 1) *
		    sizeof *r->rows);
		r->rows[0] = next;
	}
	/* a full window scrolls: draw the row that came in and the one
	 * the cursor left; anything else redraws the list */
	if (r->n_rows == r->page && r->scrolled == 0 && !r->list_dirty) {
		r->scrolled = dir;
		r->dirty[0] = dir > 0 ? r->n_rows - 2 : 1;
		r->dirty[1] = r->cur;
		r->fresh = dir > 0 ? r->n_rows - 1 : 0;
	} else
		r->list_dirty = true;
}

/* A page down (dir 1) or up (-1): the next page, or as much of it as
 * there is, with the cursor a page further on (at most to the end). */
static void
page(struct reg *r, struct app *a, int dir)
{
	int old = r->cur, got, keep;

	if (r->n_rows == 0)
		return;
	r->n_more = 0;
	got = fetch(r, a, &r->q, dir > 0 ? REGISTER_AFTER : REGISTER_BEFORE,
	    dir > 0 ? &r->rows[r->n_rows - 1] : &r->rows[0], r->page, r->tmp);
	if (got == 0) {
		r->cur = dir > 0 ? r->n_rows - 1 : 0;
		mark(r, old);
		return;
	}
	keep = r->n_rows - got;
	if (keep < 0)
		keep = 0;
	if (dir > 0) {
		memmove(r->rows, r->rows + r->n_rows - keep,
		    (size_t)keep * sizeof *r->rows);
		memcpy(r->rows + keep, r->tmp, (size_t)got * sizeof *r->rows);
		r->cur += r->page - got;
	} else {
		memmove(r->rows + got, r->rows, (size_t)keep * sizeof *r->rows);
		memcpy(r->rows, r->tmp, (size_t)got * sizeof *r->rows);
		r->cur -= r->page - got;
	}
	r->n_rows = keep + got;
	if (r->cur >= r->n_rows)
		r->cur = r->n_rows - 1;
	if (r->cur < 0)
		r->cur = 0;
	r->list_dirty = true;
}

/* The first (end false) or last row. */
static void
jump(struct reg *r, struct app *a, bool end)
{
	fill(r, a, end ? REGISTER_LAST : REGISTER_FIRST, NULL);
	r->cur = end ? r->n_rows - 1 : 0;
	if (r->cur < 0)
		r->cur = 0;
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

/* The name of row i of the window (i shown), with the cursor if it is
 * there: all a cursor move changes. */
static void
draw_name(struct reg *r, struct app *a, int i)
{
	const struct register_row *row = &r->rows[i];
	char name[2 * NAME_MAX_BYTES + 16];
	int base = A_NORMAL;

	snprintf(name, sizeof name, "%s, %s%s", row->surname, row->forename,
	    row->archived ? " (archived)" : "");
	ui_draw(LIST_TOP + i, 0, name_width(a), name, i == r->cur ?
	    ui_style_attr(ST_SELECTED) : row->archived ?
	    ui_style_attr(ST_DIM) : base);
}

/*
 * Row i of the window, on screen row LIST_TOP + i. The cursor shows on
 * the name alone: a bar across the whole row would make every cursor move
 * rewrite two full rows (over 200 bytes with their colours), where the
 * name takes about a hundred (issue 6).
 */
static void
draw_row(struct reg *r, struct app *a, int i)
{
	int y = LIST_TOP + i, x = 0;
	const struct register_row *row;
	int base = A_NORMAL;
	char buf[64];

	if (i < 0 || i >= r->page)
		return;
	if (i >= r->n_rows) {
		ui_blank(y, 0, a->cols, A_NORMAL);
		return;
	}
	row = &r->rows[i];
	draw_name(r, a, i);
	x += name_width(a);
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
		if (r->page != ui_body_rows(a) - 1) {
			/* resized: the same first row, a longer or shorter
			 * page */
			struct register_row top = r->rows[0];
			bool had = r->n_rows > 0;

			set_page(r, a);
			if (had)
				fill(r, a, REGISTER_AT, &top);
			else
				fill(r, a, REGISTER_FIRST, NULL);
		}
		draw_headings(r, a);
		r->list_dirty = true;
	}
	set_title(r, a);
	if (r->scrolled != 0 && !r->list_dirty) {
		/* move curses' copy of the list; the terminal gets a scroll */
		wsetscrreg(stdscr, LIST_TOP, LIST_TOP + r->page - 1);
		scrollok(stdscr, TRUE);
		wscrl(stdscr, r->scrolled);
		scrollok(stdscr, FALSE);
		wsetscrreg(stdscr, 0, a->rows - 1);
	}
	r->scrolled = 0;
	if (r->list_dirty) {
		for (i = 0; i < r->page; i++)
			draw_row(r, a, i);
		if (r->n_rows == 0)
			draw_empty(r, a);
		r->list_dirty = false;
	} else {
		for (i = 0; i < 2; i++) {
			if (r->dirty[i] < 0)
				continue;
			if (r->dirty[i] == r->fresh)
				draw_row(r, a, r->dirty[i]);
			else if (r->dirty[i] < r->n_rows)
				draw_name(r, a, r->dirty[i]);
		}
	}
	r->dirty[0] = r->dirty[1] = r->fresh = -1;
}

/* --- search ----------------------------------------------------------- */

/*
 * The matches of a search are the register's query with the text added,
 * in the same order. Each step asks the core for one match after (or
 * before) the one under the cursor and shows it: a few small queries,
 * never the list. By name, with three characters typed or more, the
 * core's search index gives the match by its rank in the name order and
 * the count stops at MATCH_COUNT_MAX, so a key costs the same whether
 * the text matches ten pupils or ten thousand; otherwise the first match
 * and the count come in one pass and the count stops at
 * SEARCH_COUNT_MAX.
 */
static void
match_message(struct reg *r, struct app *a)
{
	if (!r->n_least)
		ui_message(a, "match %d of %d for '%s'", r->match + 1,
		    r->n_match, r->text);
	else if (r->match >= 0)
		ui_message(a, "match %d of %d+ for '%s' (type more to narrow)",
		    r->match + 1, r->n_match, r->text);
	else if (r->match == -1)
		ui_message(a, "the last match of %d+ for '%s'", r->n_match,
		    r->text);
	else
		ui_message(a, "match %d from the last of %d+ for '%s'",
		    -r->match, r->n_match, r->text);
}

/* The number of the match one step (dir) from r->match, round the ends
 * (wrapped: there was none that way). */
static int
match_number(const struct reg *r, int dir, bool wrapped)
{
	int m = r->match;

	if (wrapped)
		return dir > 0 ? 0 : r->n_least ? -1 : r->n_match - 1;
	m += dir;
	/* a step back from the first counted from the last, and the
	 * other way round, lose their number */
	if (r->n_least && ((r->match >= 0 && m < 0) || (r->match < 0 &&
	    m >= 0)))
		return dir > 0 ? 0 : -1;
	return m;
}

/* Characters (not bytes) of UTF-8 text. */
static int
chars(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/*
 * The first match of mq (the register's query with r->text) into *found
 * and their number into r->n_match; false on an error (shown). Through
 * the search index when it can answer (r->ranked), which reads the first
 * match and no more than MATCH_COUNT_MAX others to count them.
 */
static bool
search_first(struct reg *r, struct app *a, const struct register_query *mq,
    struct register_row *found)
{
	struct serr e;
	bool there, usable;

	serr_clear(&e);
	r->n_least = false;
	r->searched = r->q;
	if (register_search_step(a->db, mq, 1, NULL, found, &there,
	    &usable, &e) != 0) {
		ui_error_serr(a, &e);
		return false;
	}
	r->ranked = usable;
	if (usable) {
		r->n_match = 0;
		if (!there)
			return true;
		if (register_count_max(a->db, mq, MATCH_COUNT_MAX + 1,
		    &r->n_match, &e) != 0) {
			ui_error_serr(a, &e);
			return false;
		}
		if (r->n_match > MATCH_COUNT_MAX) {
			r->n_match = MATCH_COUNT_MAX;
			r->n_least = true;
		} else if (r->n_match < 1)
			r->n_match = 1;
		return true;
	}
	/* the first match and the count in one pass */
	if (register_first(a->db, mq, found, &r->n_match, &e) != 0) {
		ui_error_serr(a, &e);
		return false;
	}
	return true;
}

/* The match one step (dir) from the one under the cursor into *found,
 * round the ends (*wrapped); false if none or on an error (shown). */
static bool
search_step(struct reg *r, struct app *a, const struct register_query *mq,
    int dir, struct register_row *found, bool *wrapped)
{
	struct serr e;
	bool there, usable;

	*wrapped = false;
	serr_clear(&e);
	if (r->ranked) {
		if (register_search_step(a->db, mq, dir, &r->match_row, found,
		    &there, &usable, &e) == 0 && usable && !there) {
			*wrapped = true;
			register_search_step(a->db, mq, dir, NULL, found,
			    &there, &usable, &e);
		}
		if (e.code != 0) {
			ui_error_serr(a, &e);
			return false;
		}
		if (usable)
			return there;
		/* the index cannot answer now (a read-only caseload that
		 * another user wrote): by the keyset, as below */
		r->ranked = false;
	}
	if (fetch(r, a, mq, dir > 0 ? REGISTER_AFTER : REGISTER_BEFORE,
	    &r->match_row, 1, found) == 1)
		return true;
	*wrapped = true;
	return fetch(r, a, mq, dir > 0 ? REGISTER_FIRST : REGISTER_LAST, NULL,
	    1, found) == 1;
}

/* Go to the first match (dir 0), or the next (1) or previous (-1) one,
 * round the ends; false if none. */
static bool
search_go(struct reg *r, struct app *a, int dir)
{
	struct register_query mq = r->q;
	struct register_row found;
	bool wrapped;

	if (r->text[0] == '\0')
		return false;
	mq.filter.text = r->text;
	/* in another order, or under other filters, the match under the
	 * cursor has no place to step on from: start again */
	if (!same_rows(&r->searched, &r->q) || r->searched.sort != r->q.sort ||
	    r->searched.descending != r->q.descending)
		dir = 0;
	if (dir == 0 || r->n_match <= 0) {
		if (!search_first(r, a, &mq, &found))
			return false;
		r->match = 0;
		dir = 0;
	}
	if (r->n_match <= 0) {
		ui_error(a, "no pupil matches '%s' (name or UPN)", r->text);
		return false;
	}
	if (dir != 0) {
		if (!search_step(r, a, &mq, dir, &found, &wrapped))
			return false;
		r->match = match_number(r, dir, wrapped);
	}
	r->match_row = found;
	show_row(r, a, &found);
	match_message(r, a);
	return true;
}

static void
search_origin(struct reg *r, struct app *a)
{
	if (!r->have_origin)
		return;
	fill(r, a, REGISTER_AT, &r->origin);
	r->cur = r->origin_cur < r->n_rows ? r->origin_cur : 0;
	r->list_dirty = true;
}

static void
search_change(struct app *a, void *ctx, const char *text)
{
	struct reg *r = ctx;

	snprintf(r->text, sizeof r->text, "%s", text);
	r->deferred = false;
	if (*text == '\0') {
		search_origin(r, a);
		return;
	}
	if (chars(text) < SEARCH_TYPED_MIN && r->count > SEARCH_SCAN_MAX) {
		r->deferred = true;
		ui_message(a, "%d pupils: the search starts at %d letters "
		    "(Enter searches now)", r->count, SEARCH_TYPED_MIN);
		return;
	}
	search_go(r, a, 0);
}

static void
search_done(struct app *a, void *ctx, bool accepted, const char *text)
{
	struct reg *r = ctx;

	r->searching = false;
	if (!accepted) {
		r->text[0] = '\0';
		search_origin(r, a);
		return;
	}
	snprintf(r->text, sizeof r->text, "%s", text);
	if (r->deferred) {
		r->deferred = false;
		if (!search_go(r, a, 0))
			return;
	}
	if (r->text[0] != '\0' && current(r) != NULL)
		ui_message(a, "n and N go to the next and previous match; "
		    "Enter opens the pupil");
}

/* --- keys and commands ------------------------------------------------ */

/* After a new order or filter: the counts, and the window with the
 * cursor on the same pupil (keep) or at the top. */
static void
requery(struct reg *r, struct app *a, bool keep)
{
	load_counts(r, a);
	if (keep)
		reload(r, a, false);
	else {
		r->cur = 0;
		fill(r, a, REGISTER_FIRST, NULL);
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
		step(r, a, 1);
		return true;
	case ACT_UP:
		step(r, a, -1);
		return true;
	case ACT_PAGE_DOWN:
		page(r, a, 1);
		return true;
	case ACT_PAGE_UP:
		page(r, a, -1);
		return true;
	case ACT_TOP:
		jump(r, a, false);
		return true;
	case ACT_BOTTOM:
		jump(r, a, true);
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
	case ACT_EHC:
		ui_ehc_open(a, 0);
		return true;
	case ACT_SEARCH:
		r->have_origin = r->n_rows > 0;
		if (r->have_origin)
			r->origin = r->rows[0];
		r->origin_cur = r->cur;
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
		search_go(r, a, act == ACT_SEARCH_NEXT ? 1 : -1);
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
	case ACT_IMPORT:
		ui_import_start(a);
		return true;
	case ACT_MERGE:
		ui_merge_start(a);
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

/* Bring a pupil into view if the register shows them. */
static void
show_pupil(struct reg *r, struct app *a, const char *upn, int64_t id)
{
	struct register_row key, row;

	memset(&key, 0, sizeof key);
	key.pupil_id = id;
	snprintf(key.upn, sizeof key.upn, "%s", upn);
	if (row_of(r, a, &key, &row))
		show_row(r, a, &row);
}

static void
goto_pupil(struct reg *r, struct app *a, const char *what)
{
	struct pupil p;
	struct register_query mq = r->q;
	struct register_row row;
	struct serr e;
	int m = 0;

	serr_clear(&e);
	if (strlen(what) == UPN_LEN &&
	    pupil_find_upn(a->db, what, &p, &e) == 0) {
		show_pupil(r, a, p.upn, p.id);
		ui_pupil_open(a, p.id);
		return;
	}
	/* a name (or part of a UPN): search the whole caseload, so an
	 * archived pupil can be reached too */
	mq.filter.text = what;
	mq.filter.include_archived = true;
	mq.filter.include_n = true;
	serr_clear(&e);
	if (register_count_max(a->db, &mq, 2, &m, &e) != 0) {
		ui_error_serr(a, &e);
		return;
	}
	if (m == 0) {
		ui_error(a, "no pupil matches '%s' (give a UPN or part of a "
		    "name)", what);
		return;
	}
	if (m == 1) {
		if (fetch(r, a, &mq, REGISTER_FIRST, NULL, 1, &row) == 1) {
			show_pupil(r, a, row.upn, row.pupil_id);
			ui_pupil_open(a, row.pupil_id);
		}
		return;
	}
	snprintf(r->text, sizeof r->text, "%s", what);
	if (!search_go(r, a, 0))
		return;
	ui_message(a, "%d%s pupils match '%s': n and N step through them, "
	    "Enter opens one", r->n_match, r->n_least ? "+" : "", what);
}

/* The words of a command after its name, one space between. */
static void
join_args(int argc, char **argv, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 1; i < argc && used < n - 1; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s",
		    i > 1 ? " " : "", argv[i]);
}

static bool
reg_command(struct ui_screen *s, struct app *a, int argc, char **argv)
{
	struct reg *r = (struct reg *)s;
	char buf[256];
	int i;

	if (strcmp(argv[0], "goto") == 0 || strcmp(argv[0], "g") == 0) {
		if (argc < 2) {
			ui_error(a, ":goto needs a UPN or a name");
			return true;
		}
		join_args(argc, argv, buf, sizeof buf);
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
	if (strcmp(argv[0], "merge") == 0) {
		if (argc < 2) {
			ui_error(a, ":merge needs the laptop copy's file name");
			return true;
		}
		/* a file name may have had spaces: put them back */
		join_args(argc, argv, buf, sizeof buf);
		ui_merge_open(a, buf);
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

	/* a pupil screen may have changed the data, another user too:
	 * read the window again (and the counts if anything was written) */
	reload(r, a, true);
}

static void
reg_destroy(struct ui_screen *s)
{
	struct reg *r = (struct reg *)s;

	free(r->rows);
	free(r->tmp);
	free(r->more);
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
	r->dirty[0] = r->dirty[1] = r->fresh = -1;
	set_page(r, a);
	ui_push(a, &r->base);
	load_counts(r, a);
	fill(r, a, REGISTER_FIRST, NULL);
}
