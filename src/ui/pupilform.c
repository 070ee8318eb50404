/*
 * pupilform.c: the form for adding a pupil (a on the register) and for
 * editing one (E on the pupil screen): identity, dates, year group,
 * flags, attendance, SEN status and ranked needs. The census rules (UPN
 * check letter, K or E needs a type of need, NSA only with K) are the
 * core's; the form shows each field's rule and checks it on leaving.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/pupil.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/form.h"
#include "ui/pupil.h"
#include "ui/pupilform.h"

static const char *const gender_choices[] = { "unknown", "F", "M" };
static const char *const status_choices[] = {
	"N no SEN", "K SEN support", "E EHC plan",
};

/* "none" then "SLCN Speech, language ..." for every census need. */
static const char *const *
need_choices(int *n)
{
	static char texts[NEED_CODE_COUNT][112];
	static const char *list[NEED_CODE_COUNT + 1];
	int i;

	if (list[0] == NULL) {
		list[0] = "none";
		for (i = 0; i < NEED_CODE_COUNT; i++) {
			snprintf(texts[i], sizeof texts[i], "%s %s",
			    need_codes[i].code, need_codes[i].name);
			list[i + 1] = texts[i];
		}
	}
	*n = NEED_CODE_COUNT + 1;
	return list;
}

struct pform {
	int64_t pupil_id;	/* 0: a new pupil */
	int64_t version;
	int upn, surname, forename, psurname, pforename, dob, gender, year,
	    class_name, flags, attendance, status, since, need1, need2;
	bool open_after;	/* open the new pupil when saved */
};

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src != NULL ? src : "");
}

static int
pform_save(struct app *a, struct ui_form *f, void *vctx, struct serr *e)
{
	struct pform *c = vctx;
	struct pupil p;
	double att;
	int n1 = ui_form_choice(f, c->need1), n2 = ui_form_choice(f, c->need2);
	int rc, g;
	char msg[256], name[2 * NAME_MAX_BYTES + 4];

	pupil_init(&p);
	if (c->pupil_id != 0) {
		if ((rc = pupil_get(a->db, c->pupil_id, &p, e)) != 0)
			return rc;
		/* the version read when the form opened: someone else's
		 * change since is refused by the core, not overwritten;
		 * unless the user, told of it, chose to overwrite (then
		 * the version just read stands) */
		if (!ui_form_overwrite(f))
			p.version = c->version;
	}
	copy(p.upn, sizeof p.upn, ui_form_text(f, c->upn));
	copy(p.legal_surname, sizeof p.legal_surname,
	    ui_form_text(f, c->surname));
	copy(p.legal_forename, sizeof p.legal_forename,
	    ui_form_text(f, c->forename));
	copy(p.preferred_surname, sizeof p.preferred_surname,
	    ui_form_text(f, c->psurname));
	copy(p.preferred_forename, sizeof p.preferred_forename,
	    ui_form_text(f, c->pforename));
	p.dob = ui_form_date(f, c->dob);
	g = ui_form_choice(f, c->gender);
	p.gender = g == 0 ? 0 : gender_choices[g][0];
	copy(p.year, sizeof p.year, ui_form_text(f, c->year));
	copy(p.class_name, sizeof p.class_name,
	    ui_form_text(f, c->class_name));
	p.flags = ui_form_flags(f, c->flags);
	att = ui_form_number(f, c->attendance);
	p.attendance = isnan(att) ? -1 : att;
	p.status = status_choices[ui_form_choice(f, c->status)][0];
	p.status_since = ui_form_date(f, c->since);
	p.n_needs = 0;
	if (n1 > 0)
		copy(p.needs[p.n_needs++], NEED_CODE_MAX,
		    need_codes[n1 - 1].code);
	if (n2 > 0 && n2 != n1)
		copy(p.needs[p.n_needs++], NEED_CODE_MAX,
		    need_codes[n2 - 1].code);
	if ((rc = pupil_validate(&p, e)) != 0)
		return rc;
	rc = c->pupil_id != 0 ? pupil_update(a->db, &p, e) :
	    pupil_add(a->db, &p, e);
	if (rc != 0)
		return rc;
	pupil_display_name(&p, name, sizeof name);
	snprintf(msg, sizeof msg, "%s %s", name, c->pupil_id != 0 ?
	    "saved" : "added to the caseload");
	ui_form_done_message(f, msg);
	{
		struct ui_undo u;
		memset(&u, 0, sizeof u);
		u.kind = UNDO_NOT_POSSIBLE;
		snprintf(u.what, sizeof u.what, "%s a pupil (edit again with E)",
		    c->pupil_id != 0 ? "editing" : "adding");
		ui_undo_set(a, &u);
	}
	return 0;
}

static struct ui_form *build(const struct pupil *p);

/* r after a conflict: the form again with the values stored now. The
 * new form is the caller's to open. */
static struct ui_form *
pform_reload(struct app *a, void *vctx)
{
	struct pform *c = vctx;
	struct ui_form *f;
	struct pupil p;
	struct serr e;

	serr_clear(&e);
	pupil_init(&p);
	if (pupil_get(a->db, c->pupil_id, &p, &e) != 0) {
		ui_error_serr(a, &e);
		return NULL;
	}
	f = build(&p);
	return f;
}

void
ui_pupilform_open(struct app *a, const struct pupil *p)
{
	ui_form_open(a, build(p));
}

/* The form, not yet opened: the caller's. */
static struct ui_form *
build(const struct pupil *p)
{
	struct pform *c = xcalloc(1, sizeof *c);
	struct ui_form *f;
	char title[256], d1[16], d2[16], att[16], fl[32], st[2] = { 0, 0 };
	int n_need;
	const char *const *needs = need_choices(&n_need);
	char name[2 * NAME_MAX_BYTES + 4];

	if (p != NULL) {
		c->pupil_id = p->id;
		c->version = p->version;
		pupil_display_name(p, name, sizeof name);
		snprintf(title, sizeof title, "Edit %s", name);
		if (p->attendance >= 0)
			snprintf(att, sizeof att, "%.1f", p->attendance);
		else
			att[0] = '\0';
		st[0] = p->status ? p->status : 'N';
	} else
		snprintf(title, sizeof title, "New pupil");
	f = ui_form_new(title, pform_save, c, free);
	c->upn = ui_form_add(f, &(struct ui_field){ .label = "UPN",
	    .kind = FIELD_UPN, .required = true }, p ? p->upn : NULL);
	c->surname = ui_form_add(f, &(struct ui_field){ .label =
	    "Legal surname", .kind = FIELD_TEXT, .required = true },
	    p ? p->legal_surname : NULL);
	c->forename = ui_form_add(f, &(struct ui_field){ .label =
	    "Legal forename", .kind = FIELD_TEXT, .required = true },
	    p ? p->legal_forename : NULL);
	c->psurname = ui_form_add(f, &(struct ui_field){ .label =
	    "Preferred surname", .kind = FIELD_TEXT, .rule = "empty: the "
	    "legal surname" }, p ? p->preferred_surname : NULL);
	c->pforename = ui_form_add(f, &(struct ui_field){ .label =
	    "Preferred forename", .kind = FIELD_TEXT, .rule = "empty: the "
	    "legal forename" }, p ? p->preferred_forename : NULL);
	c->dob = ui_form_add(f, &(struct ui_field){ .label = "Date of birth",
	    .kind = FIELD_DATE, .required = true }, p ? date_show(p->dob, d1) :
	    NULL);
	c->gender = ui_form_add(f, &(struct ui_field){ .label = "Gender",
	    .kind = FIELD_CHOICE, .choices = gender_choices, .n_choices = 3 },
	    p && p->gender ? (p->gender == 'F' ? "F" : "M") : "unknown");
	c->year = ui_form_add(f, &(struct ui_field){ .label = "Year group",
	    .kind = FIELD_YEAR, .required = true }, p ? p->year : NULL);
	c->class_name = ui_form_add(f, &(struct ui_field){ .label = "Class",
	    .kind = FIELD_TEXT }, p ? p->class_name : NULL);
	c->flags = ui_form_add(f, &(struct ui_field){ .label = "Flags",
	    .kind = FIELD_FLAGS }, p && p->flags ? flags_show(p->flags, fl) :
	    NULL);
	c->attendance = ui_form_add(f, &(struct ui_field){ .label =
	    "Attendance %", .kind = FIELD_NUMBER, .rule = "percentage of "
	    "sessions attended, 0 to 100; empty if unknown" },
	    p ? att : NULL);
	c->status = ui_form_add(f, &(struct ui_field){ .label = "SEN status",
	    .kind = FIELD_CHOICE, .choices = status_choices, .n_choices = 3,
	    .rule = "N no SEN, K SEN support, E EHC plan" },
	    p ? st : "N");
	c->since = ui_form_add(f, &(struct ui_field){ .label = "Status since",
	    .kind = FIELD_DATE, .rule = "the day the status started; empty: "
	    "today" }, p && p->status_since != SDATE_NONE ?
	    date_show(p->status_since, d2) : NULL);
	c->need1 = ui_form_add(f, &(struct ui_field){ .label = "Primary need",
	    .kind = FIELD_CHOICE, .choices = needs, .n_choices = n_need,
	    .rule = "K or E needs one; NSA only with K" },
	    p && p->n_needs > 0 ? p->needs[0] : "none");
	c->need2 = ui_form_add(f, &(struct ui_field){ .label =
	    "Secondary need", .kind = FIELD_CHOICE, .choices = needs,
	    .n_choices = n_need, .rule = "optional; not the same as the "
	    "primary" }, p && p->n_needs > 1 ? p->needs[1] : "none");
	if (p != NULL)
		ui_form_on_conflict(f, pform_reload);
	return f;
}
