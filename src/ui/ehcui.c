/*
 * ehcui.c: the EHC screen (ehcui.h). The dates are the core's (ehc_list,
 * ehcp_reviews) for today, so the screen says the same "OVERDUE by 9
 * days" as `senco ehc list` and `senco ehc reviews`. Overdue is said in
 * words, never by colour alone. The first line of each request and plan
 * can be selected (j/k) and Enter opens its pupil. A request and the
 * next step are recorded through forms (ehc_request_add, ehc_step_add)
 * for the pupil of the screen, or on the whole caseload's screen for the
 * pupil selected.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/ehc.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/form.h"
#include "ui/ehcui.h"
#include "ui/listing.h"
#include "ui/pupil.h"

/* A date for the screen, or `none` when there is none. Returns buf. */
static const char *
show(sdate d, char *buf, const char *none)
{
	return d == SDATE_NONE ? none : date_show(d, buf);
}

static void
add_requests(struct ui_listing *l, const struct ehc_list *rl, bool one)
{
	char d1[16], d2[16], el[16], due[48];
	int i;

	ui_listing_add(l, ST_HEADING, "%s: %d", one ? "EHC needs assessment "
	    "requests" : "Open EHC needs assessment requests", rl->n);
	if (rl->n == 0) {
		ui_listing_add(l, ST_DIM, "  none");
		return;
	}
	for (i = 0; i < rl->n; i++) {
		const struct ehc_row *w = &rl->v[i];

		ehc_elapsed_text(&w->s, el, sizeof el);
		ehc_due_text(&w->s.next, due, sizeof due);
		ui_listing_add(l, ST_NORMAL, "  %s (%s, %s): %s; requested by %s",
		    w->name, w->upn, w->year, ehc_stage_name(w->r.stage),
		    ehc_requester_code(w->r.requested_by));
		ui_listing_mark(l, w->r.pupil_id);
		ui_listing_add(l, ST_NORMAL, "    sent %s, received %s%s; "
		    "%s%s", show(w->r.sent_on, d1, "not yet"),
		    show(w->r.received_on, d2, "not known"),
		    w->s.clock_assumed ? " (clock from sent)" : "",
		    el[0] != '\0' ? el : "no clock", el[0] != '\0' ?
		    " elapsed" : "");
		if (w->s.next.what != NULL)
			ui_listing_add(l,
			    w->s.next.overdue ? ST_OVERDUE : ST_NORMAL,
			    "    next: %s on %s: %s", w->s.next.what,
			    date_show(w->s.next.due, d1), due);
		if (w->r.exception != NULL && w->r.exception[0] != '\0')
			ui_listing_add(l, ST_DIM, "    exception: %s",
			    w->r.exception);
	}
}

static void
add_reviews(struct ui_listing *l, const struct ehcp_list *pl)
{
	char d1[16], d2[16], due[48];
	int i;

	ui_listing_add(l, ST_NORMAL, "%s", "");
	ui_listing_add(l, ST_HEADING, "EHC plans: annual reviews and phase "
	    "transfers: %d", pl->n);
	if (pl->n == 0) {
		ui_listing_add(l, ST_DIM, "  none");
		return;
	}
	for (i = 0; i < pl->n; i++) {
		const struct ehcp_row *w = &pl->v[i];

		ehc_due_text(&w->next, due, sizeof due);
		ui_listing_add(l, w->next.overdue ? ST_OVERDUE : ST_NORMAL,
		    "  %s (%s, %s): annual review %s: %s%s", w->name, w->upn,
		    w->year, date_show(w->next.due, d1), due,
		    w->under5 ? " (under 5: 6 months)" : "");
		ui_listing_mark(l, w->pupil_id);
		if (w->last_review != SDATE_NONE)
			ui_listing_add(l, w->report_overdue ? ST_OVERDUE :
			    ST_NORMAL, "    last review %s, report due %s%s",
			    date_show(w->last_review, d1),
			    date_show(w->report_due, d2),
			    w->report_on != SDATE_NONE ? ", sent" :
			    w->report_overdue ? ": report OVERDUE" : "");
		if (w->transfer.applies) {
			struct ehc_due td = { "phase transfer",
			    w->transfer.due, w->transfer.days_left,
			    w->transfer.overdue };

			ehc_due_text(&td, due, sizeof due);
			ui_listing_add(l, w->transfer.overdue ? ST_OVERDUE :
			    ST_NORMAL, "    moves to %s: plan amended by "
			    "%s: %s", w->transfer.to != NULL ?
			    w->transfer.to : "the next phase",
			    date_show(w->transfer.due, d1),
			    w->transfer.done ? "done" : due);
		}
	}
}

/* The screen's state, owned by the listing (freed with it). */
struct ehcv {
	struct ui_listing *l;
	int64_t pupil_id;	/* the screen's pupil; 0: the whole caseload */
	int64_t target;		/* the pupil the form is for */
	/* the step form: the kinds offered, in the order of its choices */
	enum ehc_step_kind kinds[EHC_STEP_COUNT];
	int64_t request_id;
};

/* (Re)fill the listing from the caseload; false on an error (shown). */
static bool
fill(struct app *a, struct ui_listing *l, int64_t pupil_id)
{
	struct ehc_list rl = { NULL, 0 };
	struct ehcp_list pl = { NULL, 0 };
	struct serr e;
	sdate today = date_today();

	serr_clear(&e);
	if (ehc_list(a->db, today, pupil_id != 0, pupil_id, &rl, &e) != 0) {
		ui_error_serr(a, &e);
		return false;
	}
	if (pupil_id == 0 && ehcp_reviews(a->db, a->cfg, today, &pl,
	    &e) != 0) {
		ehc_list_free(&rl);
		ui_error_serr(a, &e);
		return false;
	}
	ui_listing_clear(l);
	add_requests(l, &rl, pupil_id != 0);
	if (pupil_id == 0)
		add_reviews(l, &pl);
	ehc_list_free(&rl);
	ehcp_list_free(&pl);
	return true;
}

/* u cannot take a request or a step back: say so rather than undo an
 * older change. */
static void
no_undo(struct app *a, const char *what)
{
	struct ui_undo u;

	memset(&u, 0, sizeof u);
	u.kind = UNDO_NOT_POSSIBLE;
	snprintf(u.what, sizeof u.what, "%s", what);
	ui_undo_set(a, &u);
}

static const char *const requester_choices[] = {
	"school", "parent", "professional"
};

/* The request form's fields, in order. */
enum { RF_SENT, RF_RECEIVED, RF_BY, RF_EVIDENCE };

static int
save_request(struct app *a, struct ui_form *f, void *ctx, struct serr *e)
{
	struct ehcv *v = ctx;
	struct ehc_request r;
	const char *ev = ui_form_text(f, RF_EVIDENCE);
	int rc;

	ehc_request_init(&r);
	r.pupil_id = v->target;
	r.sent_on = ui_form_date(f, RF_SENT);
	r.received_on = ui_form_date(f, RF_RECEIVED);
	r.requested_by = (enum ehc_requester)ui_form_choice(f, RF_BY);
	rc = ehc_request_add(a->db, &r, ev[0] != '\0' ? &ev : NULL,
	    ev[0] != '\0' ? 1 : 0, e);
	ehc_request_free(&r);
	if (rc != 0)
		return rc;
	ui_changed(a);
	no_undo(a, "recording an EHC request's dates or steps (change them "
	    "with senco ehc edit)");
	fill(a, v->l, v->pupil_id);
	ui_form_done_message(f, "EHC needs assessment request recorded");
	return 0;
}

static void
request_form(struct app *a, struct ehcv *v)
{
	struct ui_form *f = ui_form_new("New EHC needs assessment request",
	    save_request, v, NULL);

	ui_form_add(f, &(struct ui_field){ .label = "Date sent",
	    .kind = FIELD_DATE, .rule = "the day the request went to the "
	    "local authority (empty: not sent yet)" }, NULL);
	ui_form_add(f, &(struct ui_field){ .label = "Date received",
	    .kind = FIELD_DATE, .rule = "the day the LA received it: the 6, "
	    "16 and 20 weeks count from it (empty: not known)" }, NULL);
	ui_form_add(f, &(struct ui_field){ .label = "Requested by",
	    .kind = FIELD_CHOICE, .choices = requester_choices,
	    .n_choices = EHC_BY_COUNT }, "school");
	ui_form_add(f, &(struct ui_field){ .label = "Evidence",
	    .kind = FIELD_MULTI, .rule = "what was sent with it: kept as a "
	    "note on the pupil (may be empty)" }, NULL);
	ui_form_open(a, f);
}

/* The steps that can follow a stage (as ehc_step_add allows them). */
static int
steps_after(enum ehc_stage st, enum ehc_step_kind *out)
{
	int n = 0;

	switch (st) {
	case EHC_REQUESTED:
		out[n++] = EHC_STEP_AGREED;
		out[n++] = EHC_STEP_DECLINED;
		break;
	case EHC_ASSESSING:
		out[n++] = EHC_STEP_DRAFT;
		out[n++] = EHC_STEP_REFUSED;
		out[n++] = EHC_STEP_FINAL;
		break;
	case EHC_DRAFT:
		out[n++] = EHC_STEP_FINAL;
		break;
	case EHC_DECLINED:
	case EHC_REFUSED:
		out[n++] = EHC_STEP_APPEAL;
		break;
	case EHC_APPEAL:
		out[n++] = EHC_STEP_AGREED;
		out[n++] = EHC_STEP_DRAFT;
		out[n++] = EHC_STEP_FINAL;
		break;
	default:
		break;
	}
	return n;
}

enum { SF_STEP, SF_ON };

static int
save_step(struct app *a, struct ui_form *f, void *ctx, struct serr *e)
{
	struct ehcv *v = ctx;
	enum ehc_step_kind k = v->kinds[ui_form_choice(f, SF_STEP)];
	int rc;

	rc = ehc_step_add(a->db, v->request_id, k, ui_form_date(f, SF_ON), e);
	if (rc != 0)
		return rc;
	ui_changed(a);
	no_undo(a, "recording an EHC request's dates or steps (change them "
	    "with senco ehc edit)");
	fill(a, v->l, v->pupil_id);
	ui_form_done_message(f, "step recorded");
	return 0;
}

static void
step_form(struct app *a, struct ehcv *v)
{
	static const char *names[EHC_STEP_COUNT];
	struct ehc_request r;
	struct ui_form *f;
	struct serr e;
	int i, n;

	ehc_request_init(&r);
	serr_clear(&e);
	if (ehc_request_latest(a->db, v->target, &r, &e) != 0) {
		ui_message(a, "no EHC needs assessment request to take a step "
		    "on: a records one");
		ehc_request_free(&r);
		return;
	}
	n = steps_after(r.stage, v->kinds);
	v->request_id = r.id;
	if (n == 0) {
		ui_message(a, "the latest request is finished (%s): no step "
		    "can follow", ehc_stage_name(r.stage));
		ehc_request_free(&r);
		return;
	}
	for (i = 0; i < n; i++)
		names[i] = ehc_step_name(v->kinds[i]);
	f = ui_form_new("Next step of the EHC request", save_step, v, NULL);
	ui_form_add(f, &(struct ui_field){ .label = "Step",
	    .kind = FIELD_CHOICE, .choices = names, .n_choices = n,
	    .rule = "the steps that can follow where the request is" }, NULL);
	ui_form_add(f, &(struct ui_field){ .label = "Date",
	    .kind = FIELD_DATE, .required = true }, NULL);
	ui_form_open(a, f);
	ehc_request_free(&r);
}

/* The pupil a key is for: the screen's, else the one selected (0 with a
 * message when none is). */
static int64_t
target_of(struct app *a, struct ui_listing *l, struct ehcv *v)
{
	int64_t id = v->pupil_id != 0 ? v->pupil_id : ui_listing_selected(l);

	if (id == 0)
		ui_message(a, "no pupil here: move to a request or a plan "
		    "(j/k)");
	return id;
}

static bool
ehc_key(struct app *a, struct ui_listing *l, void *ctx, enum ui_action act,
    int key)
{
	struct ehcv *v = ctx;

	(void)key;
	switch (act) {
	case ACT_EHC_ADD:
		if ((v->target = target_of(a, l, v)) != 0)
			request_form(a, v);
		return true;
	case ACT_EHC_STEP:
		if ((v->target = target_of(a, l, v)) != 0)
			step_form(a, v);
		return true;
	case ACT_EHC_OPEN:
		if ((v->target = ui_listing_selected(l)) == 0) {
			ui_message(a, "no pupil here: move to a request or a "
			    "plan (j/k)");
			return true;
		}
		/* a pupil's own requests were opened from the pupil: back
		 * to it rather than a second copy on the stack */
		if (v->pupil_id != 0 && v->pupil_id == v->target)
			ui_pop(a);
		else
			ui_pupil_open(a, v->target);
		return true;
	default:
		return false;
	}
}

void
ui_ehc_open(struct app *a, int64_t pupil_id)
{
	struct ui_listing *l;
	struct ehcv *v = xcalloc(1, sizeof *v);

	v->pupil_id = pupil_id;
	if (pupil_id != 0)
		l = ui_listing_new("EHC requests", "senco - EHC requests of "
		    "the pupil", SC_EHC, ehc_key, v, free);
	else
		l = ui_listing_new("EHC", "senco - EHC requests and annual "
		    "reviews", SC_EHC, ehc_key, v, free);
	v->l = l;
	fill(a, l, pupil_id);
	ui_listing_open(a, l);
}
