/*
 * form.c: the form screen (form.h): fields, their rules and checks,
 * cancel and save.
 */
#include <ctype.h>
#include <curses.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include "core/codes.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/edit.h"
#include "ui/form.h"

#define FORM_LABEL_W 20		/* label column, right-aligned */
#define FORM_BOX_X (FORM_LABEL_W + 2)
#define FORM_MULTI_ROWS 3
#define FORM_FIELDS_MAX 24

struct field {
	struct ui_field def;
	struct ui_edit ed;
	int choice;
	char *value;		/* checked, trimmed text */
};

struct ui_form {
	struct ui_screen base;
	char title[160];
	struct field fields[FORM_FIELDS_MAX];
	int n, cur, top;
	int redraw[2];		/* fields to redraw, -1 none */
	bool rule_dirty;
	ui_form_save_cb save;
	void *ctx;
	void (*free_ctx)(void *);
	char done_msg[256];
	int cy, cx;		/* the cursor, from the last draw */
	bool show_cursor;
	ui_form_reload_cb reload;	/* NULL: no version to conflict */
	bool conflict;		/* waiting for r or o */
	bool overwrite;		/* this save is the user's o */
};

static int
field_rows(const struct field *fd)
{
	if (fd->def.kind == FIELD_MULTI)
		return fd->def.rows > 0 ? fd->def.rows : FORM_MULTI_ROWS;
	return 1;
}

static int
field_y(const struct ui_form *f, int i)
{
	int y = 0, j;

	for (j = 0; j < i; j++)
		y += field_rows(&f->fields[j]);
	return y;
}

static int
area_rows(const struct app *a)
{
	/* the body less a blank row and the rule line */
	return ui_body_rows(a) - 2;
}

static int
box_width(const struct app *a)
{
	return a->cols - FORM_BOX_X - 1;
}

static const char *
kind_rule(const struct field *fd)
{
	switch (fd->def.kind) {
	case FIELD_DATE:
		return "a date: DD/MM/YYYY or YYYY-MM-DD";
	case FIELD_UPN:
		return "13 characters: check letter, LA, school, year, "
		    "serial (e.g. B801200005001)";
	case FIELD_YEAR:
		return "year group: N1, N2, R, 1 to 14, or X";
	case FIELD_INT:
		return "a whole number";
	case FIELD_NUMBER:
		return "a number";
	case FIELD_CHOICE:
		return "Left/Right or Space to choose, or type the first "
		    "letter";
	case FIELD_FLAGS:
		return "any of PP FSM CiC EAL, separated by spaces";
	case FIELD_MULTI:
		return "text; Enter starts a new line, Tab goes on";
	case FIELD_TEXT:
		break;
	}
	return "text";
}

/* --- values ----------------------------------------------------------- */

static char *
trimmed(const struct ui_edit *ed)
{
	char *s = ui_edit_text(ed), *start = s;
	size_t l;

	while (*start == ' ' || *start == '\n')
		start++;
	l = strlen(start);
	while (l > 0 && (start[l - 1] == ' ' || start[l - 1] == '\n'))
		start[--l] = '\0';
	if (start != s)
		memmove(s, start, l + 1);
	return s;
}

/* Check field i; store its value. 0 or an SE_ code with e filled. */
static int
check_field(struct ui_form *f, int i, struct serr *e)
{
	struct field *fd = &f->fields[i];
	char *v;
	int rc = 0;

	if (fd->def.kind == FIELD_CHOICE)
		return 0;
	v = trimmed(&fd->ed);
	free(fd->value);
	fd->value = v;
	if (*v == '\0') {
		if (fd->def.required)
			return serr_set(e, SE_INVALID, "%s: required, please "
			    "fill it in", fd->def.label);
		return 0;
	}
	switch (fd->def.kind) {
	case FIELD_DATE: {
		sdate d;
		rc = date_parse(v, &d, fd->def.label, e);
		break;
	}
	case FIELD_UPN: {
		char *p;
		for (p = v; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		rc = upn_validate(v, e);
		break;
	}
	case FIELD_YEAR: {
		char y[YEAR_MAX];
		rc = year_parse(v, y, e);
		if (rc == 0) {
			free(fd->value);
			fd->value = xstrdup(y);
		}
		break;
	}
	case FIELD_INT: {
		char *end;
		long n;
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || *end != '\0')
			rc = serr_set(e, SE_INVALID, "%s: '%s' is not a whole "
			    "number", fd->def.label, v);
		else if (fd->def.min < fd->def.max &&
		    (n < fd->def.min || n > fd->def.max))
			rc = serr_set(e, SE_INVALID, "%s: %ld is out of range "
			    "(%ld to %ld)", fd->def.label, n, fd->def.min,
			    fd->def.max);
		break;
	}
	case FIELD_NUMBER: {
		char *end;
		double d;
		errno = 0;
		d = strtod(v, &end);
		if (errno != 0 || *end != '\0' || !isfinite(d))
			rc = serr_set(e, SE_INVALID, "%s: '%s' is not a number",
			    fd->def.label, v);
		break;
	}
	case FIELD_FLAGS: {
		unsigned fl;
		rc = flags_parse(v, &fl, e);
		break;
	}
	default:
		break;
	}
	if (rc == 0 && fd->def.check != NULL)
		rc = fd->def.check(f->ctx, v, e);
	return rc;
}

const char *
ui_form_text(struct ui_form *f, int i)
{
	struct field *fd = &f->fields[i];

	if (fd->def.kind == FIELD_CHOICE)
		return fd->choice >= 0 && fd->choice < fd->def.n_choices ?
		    fd->def.choices[fd->choice] : "";
	return fd->value != NULL ? fd->value : "";
}

int
ui_form_choice(struct ui_form *f, int i)
{
	return f->fields[i].choice;
}

sdate
ui_form_date(struct ui_form *f, int i)
{
	sdate d;
	const char *v = ui_form_text(f, i);

	if (*v == '\0' || date_parse(v, &d, "date", NULL) != 0)
		return SDATE_NONE;
	return d;
}

long
ui_form_int(struct ui_form *f, int i)
{
	return strtol(ui_form_text(f, i), NULL, 10);
}

double
ui_form_number(struct ui_form *f, int i)
{
	const char *v = ui_form_text(f, i);

	return *v == '\0' ? NAN : strtod(v, NULL);
}

unsigned
ui_form_flags(struct ui_form *f, int i)
{
	unsigned fl = 0;
	const char *v = ui_form_text(f, i);

	if (*v != '\0' && flags_parse(v, &fl, NULL) != 0)
		fl = 0;
	return fl;
}

void
ui_form_done_message(struct ui_form *f, const char *msg)
{
	snprintf(f->done_msg, sizeof f->done_msg, "%s", msg);
}

/* --- drawing ---------------------------------------------------------- */

static void
draw_field(struct ui_form *f, struct app *a, int i)
{
	struct field *fd = &f->fields[i];
	int y = UI_BODY_TOP + field_y(f, i) - f->top, rows = field_rows(fd);
	int w = box_width(a), cy, cx, r;
	bool cur = i == f->cur;
	int box = ui_style_attr(cur ? ST_FIELD_ACTIVE : ST_FIELD);
	char label[128];

	if (y < UI_BODY_TOP || y + rows > UI_BODY_TOP + area_rows(a))
		return;
	/* the current field is marked in text too, for monochrome */
	ui_draw(y, 0, 1, cur ? ">" : " ", A_BOLD);
	snprintf(label, sizeof label, "%s%s", fd->def.label,
	    fd->def.required ? "*" : "");
	ui_draw_right(y, 1, FORM_LABEL_W - 1, label, cur ? A_BOLD : A_NORMAL);
	ui_draw(y, FORM_LABEL_W, 2, ": ", A_NORMAL);
	for (r = 1; r < rows; r++)
		ui_blank(y + r, 0, FORM_BOX_X, A_NORMAL);
	if (fd->def.kind == FIELD_CHOICE) {
		char buf[160];
		const char *c = fd->choice >= 0 && fd->choice <
		    fd->def.n_choices ? fd->def.choices[fd->choice] : "";
		snprintf(buf, sizeof buf, "%s %s %s", cur ? "<" : " ", c,
		    cur ? ">" : " ");
		ui_draw(y, FORM_BOX_X, w, buf, box);
		cy = y;
		cx = FORM_BOX_X + 2;
	} else
		ui_edit_draw(&fd->ed, y, FORM_BOX_X, w, rows, box, &cy, &cx);
	ui_blank(y, a->cols - 1, 1, A_NORMAL);
	if (cur) {
		f->cy = cy;
		f->cx = cx;
		f->show_cursor = fd->def.kind != FIELD_CHOICE;
	}
}

static void
draw_rule(struct ui_form *f, struct app *a)
{
	struct field *fd = &f->fields[f->cur];
	char buf[320];

	snprintf(buf, sizeof buf, "%s: %s%s", fd->def.label,
	    fd->def.rule != NULL ? fd->def.rule : kind_rule(fd),
	    fd->def.required ? " (required)" : "");
	ui_draw(ui_body_bottom(a), 0, a->cols, buf, ui_style_attr(ST_DIM));
}

/* Scroll so the current field shows whole. */
static bool
scroll_to(struct ui_form *f, struct app *a)
{
	int y = field_y(f, f->cur), h = field_rows(&f->fields[f->cur]);
	int rows = area_rows(a), old = f->top;

	if (y < f->top)
		f->top = y;
	if (y + h > f->top + rows)
		f->top = y + h - rows;
	if (f->top < 0)
		f->top = 0;
	return f->top != old;
}

static void
form_draw(struct ui_screen *s, struct app *a, bool full)
{
	struct ui_form *f = (struct ui_form *)s;
	int i;

	ui_title(a, "senco %s %s", ui_utf8() ? "\xc2\xb7" : "-", f->title);
	if (scroll_to(f, a))
		full = true;
	if (full) {
		for (i = UI_BODY_TOP; i <= ui_body_bottom(a); i++)
			ui_blank(i, 0, a->cols, A_NORMAL);
		for (i = 0; i < f->n; i++)
			if (i != f->cur)
				draw_field(f, a, i);
		draw_field(f, a, f->cur);
		f->rule_dirty = true;
	} else {
		for (i = 0; i < 2; i++)
			if (f->redraw[i] >= 0 && f->redraw[i] != f->cur)
				draw_field(f, a, f->redraw[i]);
		draw_field(f, a, f->cur);
	}
	f->redraw[0] = f->redraw[1] = -1;
	if (f->rule_dirty) {
		draw_rule(f, a);
		f->rule_dirty = false;
	}
}

static bool
form_cursor(struct ui_screen *s, struct app *a, int *y, int *x)
{
	struct ui_form *f = (struct ui_form *)s;

	*y = f->cy;
	*x = f->cx;
	return f->show_cursor;
}

/* --- keys ------------------------------------------------------------- */

static void
go_field(struct ui_form *f, int to)
{
	if (to < 0 || to >= f->n || to == f->cur)
		return;
	f->redraw[0] = f->cur;
	f->cur = to;
	f->redraw[1] = to;
	f->rule_dirty = true;
}

/* Leave the current field for `to` if it passes its check. */
static void
leave_to(struct ui_form *f, struct app *a, int to)
{
	struct serr e;

	serr_clear(&e);
	if (check_field(f, f->cur, &e) != 0) {
		ui_error_serr(a, &e);
		return;
	}
	if (to >= f->n) {
		ui_message(a, "last field: Ctrl-S saves, Esc cancels");
		return;
	}
	go_field(f, to);
}

static void
choice_step(struct field *fd, int dir)
{
	if (fd->def.n_choices <= 0)
		return;
	fd->choice = (fd->choice + dir + fd->def.n_choices) %
	    fd->def.n_choices;
}

static void
choice_letter(struct field *fd, int key)
{
	int i, n = fd->def.n_choices;

	if (key > 0x7f || n <= 0)
		return;
	for (i = 1; i <= n; i++) {
		int j = (fd->choice + i) % n;
		if (tolower((unsigned char)fd->def.choices[j][0]) ==
		    tolower(key)) {
			fd->choice = j;
			return;
		}
	}
}

static void
save(struct ui_form *f, struct app *a)
{
	struct serr e;
	char msg[256];
	int i, rc;

	serr_clear(&e);
	for (i = 0; i < f->n; i++) {
		if (check_field(f, i, &e) != 0) {
			go_field(f, i);
			ui_error_serr(a, &e);
			return;
		}
	}
	rc = f->save(a, f, f->ctx, &e);
	if (rc == SE_CONFLICT && f->reload != NULL) {
		/* the typing is kept until the user chooses */
		f->conflict = true;
		f->base.text_entry = false;
		ui_error(a, "not saved: %s: r reloads (my edits dropped), o "
		    "overwrites, Esc edits on", e.msg[0] ? e.msg :
		    serr_code_name(rc));
		return;
	}
	if (rc != 0) {
		ui_error(a, "not saved: %s", e.msg[0] ? e.msg :
		    serr_code_name(rc));
		return;
	}
	snprintf(msg, sizeof msg, "%s", f->done_msg[0] ? f->done_msg :
	    "saved");
	ui_changed(a);
	ui_pop(a);
	ui_message(a, "%s", msg);
}

/* The keys while a save waits for the user's choice in a conflict. */
static bool
conflict_key(struct ui_form *f, struct app *a, enum ui_action act, int key)
{
	struct ui_form *fresh;

	switch (act) {
	case ACT_CONFLICT_RELOAD:
		fresh = f->reload(a, f->ctx);
		if (fresh == NULL)
			return true;	/* the hook said why */
		ui_pop(a);
		ui_form_open(a, fresh);
		ui_message(a, "reloaded: the form shows the saved values; "
		    "my edits were dropped");
		return true;
	case ACT_CONFLICT_OVERWRITE:
		f->conflict = false;
		f->base.text_entry = true;
		f->overwrite = true;
		save(f, a);
		/* still open: the overwrite failed and said why */
		if (ui_top(a) == &f->base)
			f->overwrite = false;
		return true;
	default:
		break;
	}
	if (key == UI_KEY_ESC) {
		f->conflict = false;
		f->base.text_entry = true;
		ui_message(a, "editing on: Ctrl-S will check again for other "
		    "users' changes");
		return true;
	}
	ui_error(a, "the record was changed by someone else: r reloads, o "
	    "overwrites, Esc edits on");
	return true;
}

static bool
form_key(struct ui_screen *s, struct app *a, enum ui_action act, int key)
{
	struct ui_form *f = (struct ui_form *)s;
	struct field *fd = &f->fields[f->cur];
	int w = box_width(a);
	enum ui_edit_result r;

	if (f->conflict)
		return conflict_key(f, a, act, key);
	switch (act) {
	case ACT_FORM_SAVE:
		save(f, a);
		return true;
	case ACT_FORM_CANCEL:
		ui_pop(a);
		ui_message(a, "cancelled: nothing was saved");
		return true;
	case ACT_FORM_NEXT:
		if (fd->def.kind == FIELD_MULTI &&
		    (key == UI_KEY_ENTER || key == UI_KEY_FN(KEY_DOWN))) {
			r = ui_edit_key(&fd->ed, key, w);
			if (r != EDIT_EDGE) {
				f->redraw[0] = f->cur;
				return true;
			}
		}
		leave_to(f, a, f->cur + 1);
		return true;
	case ACT_FORM_PREV:
		if (fd->def.kind == FIELD_MULTI &&
		    key == UI_KEY_FN(KEY_UP)) {
			r = ui_edit_key(&fd->ed, key, w);
			if (r != EDIT_EDGE) {
				f->redraw[0] = f->cur;
				return true;
			}
		}
		leave_to(f, a, f->cur - 1);
		return true;
	case ACT_FORM_CHOICE_NEXT:
	case ACT_FORM_CHOICE_PREV:
		if (fd->def.kind == FIELD_CHOICE) {
			choice_step(fd, act == ACT_FORM_CHOICE_NEXT ? 1 : -1);
			f->redraw[0] = f->cur;
			return true;
		}
		break;
	default:
		break;
	}
	if (fd->def.kind == FIELD_CHOICE) {
		if (!UI_KEY_IS_FN(key) && key >= 0x20)
			choice_letter(fd, key);
		f->redraw[0] = f->cur;
		return true;
	}
	r = ui_edit_key(&fd->ed, key, w);
	if (r != EDIT_IGNORED)
		f->redraw[0] = f->cur;
	return true;
}

static unsigned
form_scopes(struct ui_screen *s, struct app *a)
{
	struct ui_form *f = (struct ui_form *)s;

	return f->conflict ? SC_CONFLICT : SC_FORM;
}

static void
form_destroy(struct ui_screen *s)
{
	struct ui_form *f = (struct ui_form *)s;
	int i;

	for (i = 0; i < f->n; i++) {
		ui_edit_free(&f->fields[i].ed);
		free(f->fields[i].value);
	}
	if (f->free_ctx != NULL)
		f->free_ctx(f->ctx);
	free(f);
}

static const struct ui_screen_ops form_ops = {
	.name = "Form",
	.scopes = form_scopes,
	.draw = form_draw,
	.key = form_key,
	.cursor = form_cursor,
	.destroy = form_destroy,
};

struct ui_form *
ui_form_new(const char *title, ui_form_save_cb save_cb, void *ctx,
    void (*free_ctx)(void *))
{
	struct ui_form *f = xcalloc(1, sizeof *f);

	f->base.ops = &form_ops;
	f->base.text_entry = true;
	snprintf(f->title, sizeof f->title, "%s", title);
	f->save = save_cb;
	f->ctx = ctx;
	f->free_ctx = free_ctx;
	f->redraw[0] = f->redraw[1] = -1;
	return f;
}

int
ui_form_add(struct ui_form *f, const struct ui_field *def,
    const char *initial)
{
	struct field *fd;
	int i;

	if (f->n >= FORM_FIELDS_MAX)
		abort();	/* a form defined with too many fields */
	fd = &f->fields[f->n];
	fd->def = *def;
	ui_edit_init(&fd->ed, def->kind == FIELD_CHOICE ? NULL : initial,
	    def->kind == FIELD_MULTI);
	if (def->kind == FIELD_CHOICE && initial != NULL) {
		size_t l = strlen(initial);
		for (i = 0; i < def->n_choices; i++)
			if (l > 0 && strncasecmp(def->choices[i], initial, l) ==
			    0 && (def->choices[i][l] == '\0' ||
			    def->choices[i][l] == ' '))
				fd->choice = i;
	}
	fd->value = initial != NULL ? xstrdup(initial) : NULL;
	return f->n++;
}

void
ui_form_on_conflict(struct ui_form *f, ui_form_reload_cb reload)
{
	f->reload = reload;
}

bool
ui_form_overwrite(const struct ui_form *f)
{
	return f->overwrite;
}

void
ui_form_open(struct app *a, struct ui_form *f)
{
	ui_push(a, &f->base);
}
