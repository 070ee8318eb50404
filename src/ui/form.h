/*
 * form.h: forms for adding and editing records, field by field.
 *
 * Each field shows its rule while it is current and is checked when the
 * user leaves it (a UPN's check letter, a date in DD/MM/YYYY or ISO, a
 * number in range, a code from a list); a field that fails keeps the
 * cursor with the reason in the message line. Esc cancels and writes
 * nothing; Ctrl-S (or F2) checks every field and calls the form's save
 * hook, which makes its core calls as one transaction. If save fails the
 * form stays open with the error, so nothing typed is lost.
 *
 * Use:
 *   struct ui_form *f = ui_form_new("New target for Brown, Zoë", save, ctx,
 *       free);
 *   int text = ui_form_add(f, &(struct ui_field){ .label = "Target",
 *       .kind = FIELD_MULTI, .required = true }, NULL);
 *   ui_form_open(a, f);
 * and in save(a, f, ctx, e) read ui_form_text(f, text) and friends.
 */
#ifndef SENCO_UI_FORM_H
#define SENCO_UI_FORM_H

#include <stdbool.h>
#include "core/date.h"
#include "core/err.h"

struct app;
struct ui_form;

enum ui_field_kind {
	FIELD_TEXT = 0,		/* one line of text */
	FIELD_MULTI,		/* several lines: notes, voices */
	FIELD_DATE,		/* DD/MM/YYYY or YYYY-MM-DD */
	FIELD_UPN,		/* 13 characters with a right check letter */
	FIELD_YEAR,		/* N1, N2, R, 1-14, X */
	FIELD_INT,		/* a whole number from min to max */
	FIELD_NUMBER,		/* a number with decimals */
	FIELD_CHOICE,		/* one of choices[]: Left/Right or a letter */
	FIELD_FLAGS,		/* PP FSM CiC EAL, any of them */
};

struct ui_field {
	const char *label;
	const char *rule;	/* shown while current; NULL: the kind's */
	enum ui_field_kind kind;
	bool required;
	int rows;		/* FIELD_MULTI box height (default 3) */
	long min, max;		/* FIELD_INT range */
	const char *const *choices;	/* FIELD_CHOICE, shown as given */
	int n_choices;
	/* An extra check after the kind's: 0, or an SE_ code with e
	 * filled. ctx is the form's. */
	int (*check)(void *ctx, const char *value, struct serr *e);
};

/* save: write the record (0), or an SE_ code with e filled; the form
 * stays open on error. */
typedef int (*ui_form_save_cb)(struct app *a, struct ui_form *f,
    void *ctx, struct serr *e);

/* A new form; free_ctx (may be NULL) frees ctx when the form closes. */
struct ui_form *ui_form_new(const char *title, ui_form_save_cb save,
    void *ctx, void (*free_ctx)(void *));
/* Add a field with its starting text (NULL: empty); returns its index.
 * For FIELD_CHOICE, initial is matched against the choices' first word
 * (the code) and the first choice is taken when it is not found. */
int ui_form_add(struct ui_form *f, const struct ui_field *def,
    const char *initial);
/* Push the form on the screen stack. */
void ui_form_open(struct app *a, struct ui_form *f);

/* Values, valid inside save (owned by the form). */
const char *ui_form_text(struct ui_form *f, int field);	/* "" if empty */
int ui_form_choice(struct ui_form *f, int field);	/* index */
sdate ui_form_date(struct ui_form *f, int field);	/* SDATE_NONE */
long ui_form_int(struct ui_form *f, int field);		/* 0 if empty */
double ui_form_number(struct ui_form *f, int field);	/* NAN if empty */
unsigned ui_form_flags(struct ui_form *f, int field);
/* The message shown after a successful save ("Target 3 added"). */
void ui_form_done_message(struct ui_form *f, const char *msg);

/*
 * Edit conflicts. A form that saves a record read with its version gives
 * a reload hook: when save returns SE_CONFLICT (someone else changed the
 * record since the form opened) the form shows the core's message and
 * offers r, reload (the hook builds a fresh form with the stored values,
 * not opened; this one closes and my edits are dropped), or o, overwrite
 * (save runs again with ui_form_overwrite() true: it re-reads the version
 * and writes my values). Esc goes back to editing. Never a silent lost
 * update.
 */
typedef struct ui_form *(*ui_form_reload_cb)(struct app *a, void *ctx);
void ui_form_on_conflict(struct ui_form *f, ui_form_reload_cb reload);
/* Inside save: is this the save the user chose to overwrite with? */
bool ui_form_overwrite(const struct ui_form *f);

#endif
