/*
 * mergeui.c: the merge screen (mergeui.h). Everything about the merge is
 * the core's (merge.h): it reads the laptop copy, finds the conflicts
 * and describes them in words, with what each choice would do, and
 * merge_apply merges in one transaction. This file shows them and
 * records the user's choice for each conflict; nothing is written until
 * y, and nothing at all after n, Esc or q.
 *
 * The body (80x24: 21 rows):
 *   origin      "Laptop copy lap.db: checked out 2026-01-10 14:03 by ..."
 *   figures     "5 changes apply cleanly, 2 conflicts: 1 still to choose"
 *   headings
 *   conflicts   one a line (the choice in words first), scrolled
 *   a rule
 *   the conflict under the cursor: what happened, both sides' values
 *   and who changed them, and what keeping each side does
 * The choice is always written out ("server", "laptop", "?"), so the
 * screen reads the same without colour.
 */
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/merge.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/listing.h"
#include "ui/mergeui.h"

#define HEAD_ROWS 3		/* origin, figures, column headings */
#define SUMMARY_LINES 2		/* what happened, wrapped */
#define KEEP_LINES 2		/* what keeping one side does, wrapped */
/* the rule, the summary, a line per side, what each choice does */
#define DETAIL_ROWS (1 + SUMMARY_LINES + 2 + 2 * KEEP_LINES)
#define LIST_MIN 3		/* conflict rows on the smallest screen */
#define CHOICE_W 8		/* "server  " */
#define PUPIL_W 40		/* "Ó Súilleabháin, Siobhán (E801200005003)" */
#define INDENT 2

struct mergeui {
	struct ui_screen base;
	struct merge *m;
	char *path;
	int cur;		/* the conflict under the cursor */
	int top;		/* the first conflict shown */
	bool dirty;		/* the body needs drawing */
};

static struct merge_conflict *
conflicts(struct mergeui *mu, int *n)
{
	return merge_conflicts(mu->m, n);
}

static int
n_undecided(struct mergeui *mu)
{
	int n, u = 0;
	struct merge_conflict *k = conflicts(mu, &n);

	for (int i = 0; i < n; i++)
		if (k[i].choice == MERGE_UNDECIDED)
			u++;
	return u;
}

static const char *
choice_word(enum merge_choice c)
{
	switch (c) {
	case MERGE_KEEP_SERVER:
		return "server";
	case MERGE_KEEP_LAPTOP:
		return "laptop";
	default:
		return "?";
	}
}

/* The first key of an action, as the help screen names it. Returns buf. */
static const char *
key_of(enum ui_action act, char *buf, size_t n)
{
	const struct ui_keydef *d = ui_keys_def(act);

	if (d != NULL && d->n_keys > 0)
		return ui_key_name(d->keys[0], buf, n);
	snprintf(buf, n, "?");
	return buf;
}

/* What the conflict is about, without the pupil (who has a column):
 * "pupil record: class", "note “Met Mum”: deleted on the laptop".
 * Caller frees. */
static char *
conflict_what(const struct merge_conflict *k)
{
	const char *thing = k->thing != NULL ? k->thing : k->record;
	char *s;

	switch (k->kind) {
	case MERGE_FIELD:
		xasprintf(&s, "%s: %s", thing, k->field ? k->field : "");
		break;
	case MERGE_DELETED_LAPTOP:
		xasprintf(&s, "%s: deleted on the laptop", thing);
		break;
	case MERGE_DELETED_SERVER:
		xasprintf(&s, "%s: deleted on the server", thing);
		break;
	default:
		xasprintf(&s, "%s: made on both sides", thing);
		break;
	}
	return s;
}

/* "“4S”  (Mr Ahmed, 2026-01-10 14:03)"; caller frees. */
static char *
side_text(const struct merge_conflict *k, const char *value, const char *by,
    const char *at)
{
	char when[32], *s;
	const char *open = "", *close = "";

	if (k->kind == MERGE_FIELD && value != NULL) {
		open = "\xe2\x80\x9c";
		close = "\xe2\x80\x9d";
	} else if (value == NULL)
		value = k->kind == MERGE_FIELD ? "(empty)" : "";
	merge_at_show(at, when, sizeof when);
	xasprintf(&s, "%s%s%s%s%s%s%s%s", open, value, close,
	    *by || *at ? "  (" : "", by, *by && *at ? ", " : "", when,
	    *by || *at ? ")" : "");
	return s;
}

/* --- drawing ---------------------------------------------------------- */

static int
list_rows(const struct app *a)
{
	int r = ui_body_rows(a) - HEAD_ROWS - DETAIL_ROWS;

	return r < LIST_MIN ? LIST_MIN : r;
}

struct lines {
	char **v;
	int n;
};

static void
lines_cb(void *ctx, char *line)
{
	struct lines *l = ctx;

	l->v = xreallocarray(l->v, (size_t)l->n + 1, sizeof *l->v);
	l->v[l->n++] = line;
}

/* Text wrapped to the width in at most max rows from y (the last row
 * ending in an ellipsis if more was cut); the rows left over are
 * blanked. */
static void
draw_wrapped(struct app *a, int y, int max, const char *text, int attr)
{
	struct lines l = { NULL, 0 };
	char buf[1024];
	int i;

	ui_wrap(text, a->cols - 1, lines_cb, &l);
	for (i = 0; i < max; i++) {
		if (i >= l.n)
			ui_blank(y + i, 0, a->cols, A_NORMAL);
		else if (i == max - 1 && l.n > max) {
			snprintf(buf, sizeof buf, "%s%s", l.v[i],
			    ui_sym_ellipsis());
			ui_draw(y + i, 0, a->cols, buf, attr);
		} else
			ui_draw(y + i, 0, a->cols, l.v[i], attr);
	}
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
}

static void
draw_head(struct mergeui *mu, struct app *a)
{
	const struct merge_info *in = merge_info(mu->m);
	int n, u = n_undecided(mu), clean;
	char when[32], line[512];

	conflicts(mu, &n);
	snprintf(line, sizeof line, "Laptop copy %s: checked out %s by "
	    "%s%s%s%s", mu->path, merge_at_show(in->taken_at, when, sizeof when),
	    in->taken_by, in->subset ? " (" : "", in->subset ? in->subset :
	    "", in->subset ? ")" : "");
	ui_draw(UI_BODY_TOP, 0, a->cols, line, A_NORMAL);
	clean = in->figures.changes - in->figures.conflicted;
	if (n == 0)
		snprintf(line, sizeof line, "%d change%s appl%s cleanly, no "
		    "conflicts: y merges, n cancels", clean, clean == 1 ? "" :
		    "s", clean == 1 ? "ies" : "y");
	else
		snprintf(line, sizeof line, "%d change%s appl%s cleanly, %d "
		    "conflict%s: %s", clean, clean == 1 ? "" : "s",
		    clean == 1 ? "ies" : "y", n, n == 1 ? "" : "s", u == 0 ?
		    "every one has a choice, y merges" : "");
	if (n > 0 && u > 0)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "%d still to choose", u);
	ui_draw(UI_BODY_TOP + 1, 0, a->cols, line,
	    ui_style_attr(u > 0 ? ST_WARN : ST_GOOD));
	snprintf(line, sizeof line, "%-*s%-*s%s", CHOICE_W, "Keep",
	    PUPIL_W + 1, "Pupil", "Record: what");
	ui_draw(UI_BODY_TOP + 2, 0, a->cols, line, ui_style_attr(ST_HEADING));
}

static void
draw_list(struct mergeui *mu, struct app *a)
{
	int n, rows = list_rows(a), y0 = UI_BODY_TOP + HEAD_ROWS;
	struct merge_conflict *k = conflicts(mu, &n);

	if (mu->cur < mu->top)
		mu->top = mu->cur;
	if (mu->cur >= mu->top + rows)
		mu->top = mu->cur - rows + 1;
	for (int r = 0; r < rows; r++) {
		int i = mu->top + r, y = y0 + r, attr;
		char *what;

		if (i >= n) {
			ui_blank(y, 0, a->cols, A_NORMAL);
			if (n == 0 && r == 0)
				ui_draw(y, INDENT, a->cols - INDENT, "no "
				    "conflicts: every change applies cleanly",
				    A_NORMAL);
			continue;
		}
		attr = ui_style_attr(i == mu->cur ? ST_SELECTED :
		    k[i].choice == MERGE_UNDECIDED ? ST_WARN : ST_NORMAL);
		what = conflict_what(&k[i]);
		ui_draw(y, 0, CHOICE_W, choice_word(k[i].choice), attr);
		ui_draw(y, CHOICE_W, PUPIL_W, k[i].pupil ? k[i].pupil :
		    "(no pupil)", attr);
		ui_blank(y, CHOICE_W + PUPIL_W, 1, attr);
		ui_draw(y, CHOICE_W + PUPIL_W + 1, a->cols - CHOICE_W -
		    PUPIL_W - 1, what, attr);
		free(what);
	}
}

static void
draw_detail(struct mergeui *mu, struct app *a)
{
	int n, y = UI_BODY_TOP + HEAD_ROWS + list_rows(a);
	struct merge_conflict *k = conflicts(mu, &n), *c;
	char ks[16], kl[16], *side, *line;

	ui_hline(y++, 0, a->cols, A_NORMAL);
	if (n == 0) {
		for (int i = 0; i < DETAIL_ROWS - 1; i++)
			ui_blank(y + i, 0, a->cols, A_NORMAL);
		return;
	}
	c = &k[mu->cur];
	xasprintf(&line, "Conflict %d of %d: %s", mu->cur + 1, n, c->summary);
	draw_wrapped(a, y, SUMMARY_LINES, line, A_NORMAL);
	free(line);
	y += SUMMARY_LINES;
	side = side_text(c, c->server_value, c->server_by, c->server_at);
	xasprintf(&line, "  server: %s", side);
	ui_draw(y++, 0, a->cols, line, A_NORMAL);
	free(line);
	free(side);
	side = side_text(c, c->laptop_value, c->laptop_by, c->laptop_at);
	xasprintf(&line, "  laptop: %s", side);
	ui_draw(y++, 0, a->cols, line, A_NORMAL);
	free(line);
	free(side);
	/* the chosen side is marked in text, and in bold */
	xasprintf(&line, "%s %s keeps the server's: %s",
	    c->choice == MERGE_KEEP_SERVER ? "*" : " ",
	    key_of(ACT_MERGE_SERVER, ks, sizeof ks), c->if_server);
	draw_wrapped(a, y, KEEP_LINES, line, c->choice == MERGE_KEEP_SERVER ?
	    A_BOLD : A_NORMAL);
	free(line);
	y += KEEP_LINES;
	xasprintf(&line, "%s %s keeps the laptop's: %s",
	    c->choice == MERGE_KEEP_LAPTOP ? "*" : " ",
	    key_of(ACT_MERGE_LAPTOP, kl, sizeof kl), c->if_laptop);
	draw_wrapped(a, y, KEEP_LINES, line, c->choice == MERGE_KEEP_LAPTOP ?
	    A_BOLD : A_NORMAL);
	free(line);
}

static void
mu_draw(struct ui_screen *s, struct app *a, bool full)
{
	struct mergeui *mu = (struct mergeui *)s;

	ui_title(a, "senco - merge the laptop copy %s", mu->path);
	if (!full && !mu->dirty)
		return;
	/* every row is drawn whole (padded), so no erase is needed */
	draw_head(mu, a);
	draw_list(mu, a);
	draw_detail(mu, a);
	mu->dirty = false;
}

/* --- choosing --------------------------------------------------------- */

static void
move_to(struct mergeui *mu, int i)
{
	int n;

	conflicts(mu, &n);
	if (i >= n)
		i = n - 1;
	if (i < 0)
		i = 0;
	mu->cur = i;
	mu->dirty = true;
}

/* After a choice: on to the next conflict still to choose, if any. */
static void
next_undecided(struct mergeui *mu)
{
	int n;
	struct merge_conflict *k = conflicts(mu, &n);

	for (int d = 1; d < n; d++) {
		int i = (mu->cur + d) % n;

		if (k[i].choice == MERGE_UNDECIDED) {
			move_to(mu, i);
			return;
		}
	}
}

static void
say_left(struct mergeui *mu, struct app *a, const char *done)
{
	int u = n_undecided(mu);

	if (u == 0)
		ui_message(a, "%s; every conflict has a choice: y merges, n "
		    "cancels", done);
	else
		ui_message(a, "%s; %d conflict%s still to choose", done, u,
		    u == 1 ? "" : "s");
}

static void
choose(struct mergeui *mu, struct app *a, enum merge_choice ch)
{
	int n, at = mu->cur + 1;
	struct merge_conflict *k = conflicts(mu, &n);
	char done[96];

	if (n == 0) {
		ui_message(a, "no conflicts to choose: y merges, n cancels");
		return;
	}
	k[mu->cur].choice = ch;
	snprintf(done, sizeof done, "conflict %d: kept the %s's", at,
	    choice_word(ch));
	mu->dirty = true;
	next_undecided(mu);
	say_left(mu, a, done);
}

static void
choose_rest(struct mergeui *mu, struct app *a, enum merge_choice ch)
{
	int n, set = 0;
	struct merge_conflict *k = conflicts(mu, &n);
	char done[96];

	for (int i = 0; i < n; i++)
		if (k[i].choice == MERGE_UNDECIDED) {
			k[i].choice = ch;
			set++;
		}
	mu->dirty = true;
	snprintf(done, sizeof done, "the %s's kept for %d conflict%s",
	    choice_word(ch), set, set == 1 ? "" : "s");
	say_left(mu, a, done);
}

/* --- applying --------------------------------------------------------- */

static void
add_wrapped_cb(void *ctx, char *line)
{
	ui_listing_add(ctx, ST_NORMAL, "%s", line);
	free(line);
}

/* What was merged, for the listing shown after the merge: it belongs to
 * the caller (ui_listing_open). */
static struct ui_listing *
result_listing(struct mergeui *mu, const struct merge_figures *f,
    const char *warning)
{
	const struct merge_info *in = merge_info(mu->m);
	struct ui_listing *l;
	struct merge_conflict *k;
	char title[300], *s;
	int n;

	snprintf(title, sizeof title, "senco - merged the laptop copy %s",
	    mu->path);
	l = ui_listing_new("Merged", title, 0, NULL, NULL, NULL);
	ui_listing_add(l, ST_HEADING, "Merged the laptop copy %s", mu->path);
	xasprintf(&s, "%d change%s from the laptop: %d applied as they were, "
	    "%d merged with changes on the server, %d already on the server, "
	    "%d in conflict.", f->changes, f->changes == 1 ? "" : "s",
	    f->applied, f->merged, f->already, f->conflicted);
	ui_wrap(s, UI_MIN_COLS - 1, add_wrapped_cb, l);
	free(s);
	xasprintf(&s, "Wrote %d record%s to the caseload; %d audit entr%s "
	    "added, as merged by you from the laptop copy.", f->written,
	    f->written == 1 ? "" : "s", f->audit_entries,
	    f->audit_entries == 1 ? "y" : "ies");
	ui_wrap(s, UI_MIN_COLS - 1, add_wrapped_cb, l);
	free(s);
	if (f->links_cleared > 0)
		ui_listing_add(l, ST_NORMAL, "%d link%s to records deleted on "
		    "the server cleared.", f->links_cleared,
		    f->links_cleared == 1 ? "" : "s");
	ui_listing_add(l, ST_NORMAL, "%s", "");
	ui_listing_add(l, ST_HEADING, "Changes on the laptop");
	for (int i = 0; i < in->n_tables; i++) {
		const struct merge_table_count *t = &in->tables[i];

		ui_listing_add(l, ST_NORMAL, "  %-24s %d added, %d changed, "
		    "%d deleted", t->label, t->added, t->changed, t->deleted);
	}
	k = conflicts(mu, &n);
	if (n > 0) {
		ui_listing_add(l, ST_NORMAL, "%s", "");
		ui_listing_add(l, ST_HEADING, "Conflicts: %d kept the "
		    "server's, %d the laptop's", f->kept_server,
		    f->kept_laptop);
	}
	for (int i = 0; i < n; i++) {
		char *what = conflict_what(&k[i]);

		ui_listing_add(l, ST_NORMAL, "  %-6s  %s: %s",
		    choice_word(k[i].choice), k[i].pupil ? k[i].pupil :
		    "(no pupil)", what);
		ui_listing_add(l, ST_NORMAL, "          %s",
		    k[i].choice == MERGE_KEEP_SERVER ? k[i].if_server :
		    k[i].if_laptop);
		free(what);
	}
	ui_listing_add(l, ST_NORMAL, "%s", "");
	if (warning[0] != '\0')
		ui_wrap(warning, UI_MIN_COLS - 1, add_wrapped_cb, l);
	else
		ui_wrap("The laptop copy now starts from this merge: keep "
		    "working on it, or take a new checkout to see the "
		    "server's changes.", UI_MIN_COLS - 1, add_wrapped_cb, l);
	return l;
}

static void
apply(struct mergeui *mu, struct app *a)
{
	struct merge_figures f;
	struct ui_listing *l;
	char warning[SERR_MSG_MAX], q[16];
	struct serr e;
	int u = n_undecided(mu), rc;

	if (u > 0) {
		ui_error(a, "%d conflict%s still to choose: nothing was merged",
		    u, u == 1 ? "" : "s");
		return;
	}
	serr_clear(&e);
	rc = merge_apply(mu->m, MERGE_UNDECIDED, &f, warning, sizeof warning,
	    &e);
	if (rc == SE_CONFLICT) {
		/* the caseload changed while the user chose: the new
		 * conflicts are appended, undecided */
		u = n_undecided(mu);
		next_undecided(mu);
		mu->dirty = true;
		ui_error(a, "the caseload changed meanwhile: %d new conflict%s "
		    "to choose; nothing was merged yet", u, u == 1 ? "" : "s");
		return;
	}
	if (rc != 0) {
		ui_error_serr(a, &e);
		return;
	}
	ui_changed(a);
	ui_undo_clear(a);
	l = result_listing(mu, &f, warning);
	ui_pop(a);		/* frees mu and the merge */
	ui_listing_open(a, l);
	ui_message(a, "merged: %d change%s from the laptop, %d record%s "
	    "written; %s returns to the register", f.changes,
	    f.changes == 1 ? "" : "s", f.written, f.written == 1 ? "" : "s",
	    key_of(ACT_QUIT, q, sizeof q));
}

static void
cancel(struct app *a)
{
	ui_pop(a);
	ui_message(a, "merge cancelled: nothing was written");
}

static bool
mu_key(struct ui_screen *s, struct app *a, enum ui_action act, int key)
{
	struct mergeui *mu = (struct mergeui *)s;
	int page = list_rows(a) - 1;

	(void)key;
	switch (act) {
	case ACT_DOWN:
		move_to(mu, mu->cur + 1);
		return true;
	case ACT_UP:
		move_to(mu, mu->cur - 1);
		return true;
	case ACT_PAGE_DOWN:
		move_to(mu, mu->cur + page);
		return true;
	case ACT_PAGE_UP:
		move_to(mu, mu->cur - page);
		return true;
	case ACT_TOP:
		move_to(mu, 0);
		return true;
	case ACT_BOTTOM:
		move_to(mu, INT_MAX);
		return true;
	case ACT_MERGE_SERVER:
		choose(mu, a, MERGE_KEEP_SERVER);
		return true;
	case ACT_MERGE_LAPTOP:
		choose(mu, a, MERGE_KEEP_LAPTOP);
		return true;
	case ACT_MERGE_SERVER_ALL:
		choose_rest(mu, a, MERGE_KEEP_SERVER);
		return true;
	case ACT_MERGE_LAPTOP_ALL:
		choose_rest(mu, a, MERGE_KEEP_LAPTOP);
		return true;
	case ACT_MERGE_APPLY:
		apply(mu, a);
		return true;
	case ACT_MERGE_CANCEL:
	case ACT_BACK:
	case ACT_QUIT:
		cancel(a);
		return true;
	default:
		return false;
	}
}

static unsigned
mu_scopes(struct ui_screen *s, struct app *a)
{
	(void)s;
	(void)a;
	return SC_GLOBAL | SC_MOVE | SC_MERGE;
}

static void
mu_destroy(struct ui_screen *s)
{
	struct mergeui *mu = (struct mergeui *)s;

	merge_free(mu->m);
	free(mu->path);
	free(mu);
}

static const struct ui_screen_ops mu_ops = {
	.name = "Merge",
	.scopes = mu_scopes,
	.draw = mu_draw,
	.key = mu_key,
	.destroy = mu_destroy,
};

/* --- opening ---------------------------------------------------------- */

/* The core's refusal names the copy by the path typed; the message line
 * has room for the reason only when the file goes by its last part. */
static void
refused(struct app *a, const char *path, const struct serr *e)
{
	const char *slash = strrchr(path, '/');
	size_t n = strlen(path);

	if (slash != NULL && slash[1] != '\0' && strncmp(e->msg, path, n) == 0
	    && e->msg[n] == ':')
		ui_error(a, "%s%s", slash + 1, e->msg + n);
	else
		ui_error_serr(a, e);
}

void
ui_merge_open(struct app *a, const char *path)
{
	const struct merge_info *in;
	struct mergeui *mu;
	struct merge *m = NULL;
	char warning[SERR_MSG_MAX], when[32];
	struct serr e;

	if (a->read_only) {
		ui_error(a, "the caseload is open read-only: a merge writes "
		    "to it");
		return;
	}
	serr_clear(&e);
	/* a copy of another caseload or schema version, or no laptop copy
	 * at all, is refused here in one line */
	if (merge_prepare(a->db, path, &m, &e) != 0) {
		refused(a, path, &e);
		return;
	}
	in = merge_info(m);
	if (in->already_merged) {
		/* nothing to merge; a copy not re-based then catches up */
		serr_clear(&e);
		merge_apply(m, MERGE_UNDECIDED, NULL, warning, sizeof warning,
		    &e);
		ui_message(a, "these changes were merged on %s by %s: nothing "
		    "to do", merge_at_show(in->merged_at, when, sizeof when),
		    in->merged_by);
		merge_free(m);
		return;
	}
	if (in->n_tables == 0) {
		ui_message(a, "nothing changed on the laptop copy since it was "
		    "taken or last merged: nothing to merge");
		merge_free(m);
		return;
	}
	mu = xcalloc(1, sizeof *mu);
	mu->base.ops = &mu_ops;
	mu->m = m;
	mu->path = xstrdup(path);
	mu->dirty = true;
	ui_push(a, &mu->base);
	if (n_undecided(mu) > 0) {
		char ks[16], kl[16], ky[16], kn[16];

		ui_message(a, "%s or %s on each conflict; %s merges when all "
		    "have a choice, %s cancels",
		    key_of(ACT_MERGE_SERVER, ks, sizeof ks),
		    key_of(ACT_MERGE_LAPTOP, kl, sizeof kl),
		    key_of(ACT_MERGE_APPLY, ky, sizeof ky),
		    key_of(ACT_MERGE_CANCEL, kn, sizeof kn));
	}
}

static void
path_done(struct app *a, void *ctx, bool accepted, const char *text)
{
	(void)ctx;
	if (accepted && text[0] != '\0')
		ui_merge_open(a, text);
}

void
ui_merge_start(struct app *a)
{
	ui_prompt_open(a, "laptop copy to merge: ", "", NULL, path_done,
	    NULL);
}
