/*
 * ehc.c: requests for an EHC needs assessment and their steps, the
 * statutory date arithmetic, and the annual reviews and phase-transfer
 * deadlines of EHC plans (ehc.h has the rules and their sources).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "cycle.h"
#include "ehc.h"
#include "record.h"
#include "report.h"
#include "xmalloc.h"

/* --- words ---------------------------------------------------------------- */

static const char *const requester_codes[EHC_BY_COUNT] = {
	"school", "parent", "professional",
};

static const struct {
	const char *code, *name;
} stage_words[EHC_STAGE_COUNT] = {
	{ "requested", "requested" },
	{ "assessing", "assessment agreed" },
	{ "declined", "assessment declined" },
	{ "draft", "draft plan issued" },
	{ "final", "final plan issued" },
	{ "refused", "plan refused" },
	{ "appeal", "appealed" },
};

static const struct {
	const char *code, *name;
	enum ehc_stage to;
} step_words[EHC_STEP_COUNT] = {
	{ "decision-agreed", "decision to assess: agreed", EHC_ASSESSING },
	{ "decision-declined", "decision to assess: declined", EHC_DECLINED },
	{ "draft", "draft plan issued", EHC_DRAFT },
	{ "final", "final plan issued", EHC_FINAL },
	{ "refused", "decision not to issue a plan", EHC_REFUSED },
	{ "appeal", "appeal to the Tribunal", EHC_APPEAL },
};

/* Which steps may follow each stage (bits of 1 << step). */
static const unsigned next_steps[EHC_STAGE_COUNT] = {
	[EHC_REQUESTED] = 1u << EHC_STEP_AGREED | 1u << EHC_STEP_DECLINED,
	[EHC_ASSESSING] = 1u << EHC_STEP_DRAFT | 1u << EHC_STEP_REFUSED |
	    1u << EHC_STEP_FINAL,
	[EHC_DECLINED] = 1u << EHC_STEP_APPEAL,
	[EHC_DRAFT] = 1u << EHC_STEP_FINAL,
	[EHC_FINAL] = 0,
	[EHC_REFUSED] = 1u << EHC_STEP_APPEAL,
	/* What the Tribunal ordered: an assessment, or a plan. */
	[EHC_APPEAL] = 1u << EHC_STEP_AGREED | 1u << EHC_STEP_DRAFT |
	    1u << EHC_STEP_FINAL,
};

static const char *const event_codes[] = { "issued", "review", "amended" };

const char *
ehc_requester_code(enum ehc_requester r)
{
	return r >= 0 && r < EHC_BY_COUNT ? requester_codes[r] : "?";
}

int
ehc_requester_parse(const char *s, enum ehc_requester *out, struct serr *e)
{
	for (int i = 0; i < EHC_BY_COUNT; i++)
		if (s != NULL && strcasecmp(s, requester_codes[i]) == 0) {
			*out = (enum ehc_requester)i;
			return 0;
		}
	/* "parents", "carer": the words people use. */
	if (s != NULL && (strcasecmp(s, "parents") == 0 ||
	    strcasecmp(s, "carer") == 0 ||
	    strcasecmp(s, "parent/carer") == 0)) {
		*out = EHC_BY_PARENT;
		return 0;
	}
	return serr_set(e, SE_INVALID, "requested by '%s': not school, parent "
	    "or professional", s != NULL ? s : "");
}

const char *
ehc_stage_code(enum ehc_stage s)
{
	return s >= 0 && s < EHC_STAGE_COUNT ? stage_words[s].code : "?";
}

const char *
ehc_stage_name(enum ehc_stage s)
{
	return s >= 0 && s < EHC_STAGE_COUNT ? stage_words[s].name : "?";
}

const char *
ehc_step_code(enum ehc_step_kind k)
{
	return k >= 0 && k < EHC_STEP_COUNT ? step_words[k].code : "?";
}

const char *
ehc_step_name(enum ehc_step_kind k)
{
	return k >= 0 && k < EHC_STEP_COUNT ? step_words[k].name : "?";
}

static void
step_list_words(unsigned bits, char *buf, size_t n)
{
	size_t len = 0;
	int count = 0, done = 0;

	for (int k = 0; k < EHC_STEP_COUNT; k++)
		if (bits & 1u << k)
			count++;
	buf[0] = '\0';
	for (int k = 0; k < EHC_STEP_COUNT && len < n; k++)
		if (bits & 1u << k) {
			done++;
			len += (size_t)snprintf(buf + len, n - len, "%s%s",
			    done == 1 ? "" : done == count ? " or " : ", ",
			    step_words[k].code);
		}
}

int
ehc_step_parse(const char *s, enum ehc_step_kind *out, struct serr *e)
{
	char words[160];

	for (int k = 0; s != NULL && k < EHC_STEP_COUNT; k++)
		if (strcasecmp(s, step_words[k].code) == 0) {
			*out = (enum ehc_step_kind)k;
			return 0;
		}
	/* "agreed", "declined", "plan": short forms people type. */
	if (s != NULL && strcasecmp(s, "agreed") == 0) {
		*out = EHC_STEP_AGREED;
		return 0;
	}
	if (s != NULL && strcasecmp(s, "declined") == 0) {
		*out = EHC_STEP_DECLINED;
		return 0;
	}
	step_list_words((1u << EHC_STEP_COUNT) - 1, words, sizeof words);
	return serr_set(e, SE_INVALID, "step '%s': not %s", s != NULL ? s : "",
	    words);
}

const char *
ehcp_event_code(enum ehcp_event_kind k)
{
	return k >= EHCP_ISSUED && k <= EHCP_AMENDED ? event_codes[k] : "?";
}

void
ehc_request_init(struct ehc_request *r)
{
	memset(r, 0, sizeof *r);
	r->sent_on = r->received_on = r->stage_on = SDATE_NONE;
}

void
ehc_request_free(struct ehc_request *r)
{
	if (r == NULL)
		return;
	free(r->exception);
	r->exception = NULL;
}

void
ehcp_event_init(struct ehcp_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->on = ev->report_on = SDATE_NONE;
}

void
ehcp_event_free(struct ehcp_event *ev)
{
	if (ev == NULL)
		return;
	free(ev->notes);
	ev->notes = NULL;
}

/* --- the date arithmetic -------------------------------------------------- */

sdate
ehc_add_weeks(sdate d, int weeks)
{
	return d == SDATE_NONE ? SDATE_NONE : d + 7 * weeks;
}

static bool
decided(enum ehc_stage s)
{
	return s == EHC_FINAL || s == EHC_DECLINED || s == EHC_REFUSED ||
	    s == EHC_APPEAL;
}

void
ehc_compute(const struct ehc_request *r, sdate today, struct ehc_status *s)
{
	sdate end;

	memset(s, 0, sizeof *s);
	s->clock_start = r->received_on != SDATE_NONE ? r->received_on :
	    r->sent_on;
	s->clock_assumed = r->received_on == SDATE_NONE &&
	    r->sent_on != SDATE_NONE;
	s->decision_due = s->draft_due = s->final_due = SDATE_NONE;
	s->next.due = s->appeal_by = SDATE_NONE;
	s->days_elapsed = s->weeks_elapsed = -1;
	if (decided(r->stage) && r->stage_on != SDATE_NONE && r->stage !=
	    EHC_FINAL)
		s->appeal_by = r->stage == EHC_APPEAL ? SDATE_NONE :
		    date_add_months(r->stage_on, EHC_APPEAL_MONTHS);
	if (s->clock_start == SDATE_NONE)
		return;
	s->decision_due = ehc_add_weeks(s->clock_start, 6);
	s->draft_due = ehc_add_weeks(s->clock_start, 16);
	s->final_due = ehc_add_weeks(s->clock_start, 20);
	end = decided(r->stage) && r->stage_on != SDATE_NONE ? r->stage_on :
	    today;
	s->days_elapsed = end > s->clock_start ? end - s->clock_start : 0;
	s->weeks_elapsed = s->days_elapsed / 7;
	/* After an appeal the Tribunal's order sets the dates, not the 16
	 * and 20 weeks. */
	if (r->appealed)
		return;
	switch (r->stage) {
	case EHC_REQUESTED:
		s->next.what = "decision to assess";
		s->next.due = s->decision_due;
		break;
	case EHC_ASSESSING:
		s->next.what = "decision to issue and draft plan";
		s->next.due = s->draft_due;
		break;
	case EHC_DRAFT:
		s->next.what = "final plan";
		s->next.due = s->final_due;
		break;
	default:
		return;
	}
	s->next.days_left = s->next.due - today;
	s->next.overdue = s->next.days_left < 0;
}

sdate
ehc_step_due(const struct ehc_status *s, enum ehc_step_kind k)
{
	switch (k) {
	case EHC_STEP_AGREED:
	case EHC_STEP_DECLINED:
		return s->decision_due;
	case EHC_STEP_DRAFT:
	case EHC_STEP_REFUSED:
		return s->draft_due;
	case EHC_STEP_FINAL:
		return s->final_due;
	default:
		return SDATE_NONE;
	}
}

char *
ehc_due_text(const struct ehc_due *d, char *buf, size_t n)
{
	int days = d->days_left < 0 ? -d->days_left : d->days_left;

	if (d->what == NULL || d->due == SDATE_NONE)
		buf[0] = '\0';
	else if (d->overdue)
		report_days_text("OVERDUE by ", days, buf, n);
	else if (days == 0)
		snprintf(buf, n, "due today");
	else
		report_days_text("due in ", days, buf, n);
	return buf;
}

char *
ehc_elapsed_text(const struct ehc_status *s, char *buf, size_t n)
{
	if (s->days_elapsed < 0)
		buf[0] = '\0';
	else
		snprintf(buf, n, "%dw %dd", s->days_elapsed / 7,
		    s->days_elapsed % 7);
	return buf;
}

/* --- requests ------------------------------------------------------------- */

#define REQUEST_COLS \
    "r.id, r.pupil_id, r.cycle_id, r.requested_by, r.sent_on, " \
    "r.received_on, r.stage, r.stage_on, r.exception, r.version, " \
    "r.created_at, r.updated_at, r.changed_by, EXISTS (SELECT 1 FROM " \
    "ehc_step s WHERE s.request_id = r.id AND s.step = 'appeal')"
#define REQUEST_NCOLS 14

static const char SQL_REQ_GET[] =
    "SELECT " REQUEST_COLS " FROM ehc_request r WHERE r.id = ?";
static const char SQL_REQ_LATEST[] =
    "SELECT " REQUEST_COLS " FROM ehc_request r WHERE r.pupil_id = ? "
    "ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1";
static const char SQL_REQ_OPEN[] =
    "SELECT sent_on, stage FROM ehc_request WHERE pupil_id = ? AND "
    "(stage = 'requested' OR stage = 'assessing' OR stage = 'draft')";
static const char SQL_REQ_ADD[] =
    "INSERT INTO ehc_request (id, pupil_id, cycle_id, requested_by, "
    "sent_on, received_on, exception, created_at, updated_at, changed_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_REQ_SET[] =
    "UPDATE ehc_request SET requested_by = ?, sent_on = ?, "
    "received_on = ?, exception = ?, updated_at = ?, version = version + 1, "
    "changed_by = ? WHERE id = ? AND version = ?";
static const char SQL_REQ_STAGE[] =
    "UPDATE ehc_request SET stage = ?, stage_on = ?, updated_at = ?, "
    "version = version + 1, changed_by = ? WHERE id = ?";
static const char SQL_REQ_WHO[] =
    "SELECT version, updated_at, changed_by FROM ehc_request WHERE id = ?";
static const char SQL_PUPIL_STATE[] =
    "SELECT p.upn, p.archived, p.dob, coalesce((SELECT s.status FROM "
    "sen_status s WHERE s.pupil_id = p.id AND s.end_date IS NULL), 'N') "
    "FROM pupil p WHERE p.id = ?";

static enum ehc_stage
stage_from(const char *s)
{
	for (int i = 0; s != NULL && i < EHC_STAGE_COUNT; i++)
		if (strcmp(s, stage_words[i].code) == 0)
			return (enum ehc_stage)i;
	return EHC_REQUESTED;
}

static enum ehc_requester
requester_from(const char *s)
{
	for (int i = 0; s != NULL && i < EHC_BY_COUNT; i++)
		if (strcmp(s, requester_codes[i]) == 0)
			return (enum ehc_requester)i;
	return EHC_BY_SCHOOL;
}

/* Columns from `at` on (REQUEST_COLS) into r. */
static void
read_request(sqlite3_stmt *st, int at, struct ehc_request *r)
{
	ehc_request_init(r);
	r->id = sqlite3_column_int64(st, at + 0);
	r->pupil_id = sqlite3_column_int64(st, at + 1);
	r->cycle_id = sqlite3_column_int64(st, at + 2);
	r->requested_by = requester_from((const char *)sqlite3_column_text(st,
	    at + 3));
	r->sent_on = db_col_date(st, at + 4);
	r->received_on = db_col_date(st, at + 5);
	r->stage = stage_from((const char *)sqlite3_column_text(st, at + 6));
	r->stage_on = db_col_date(st, at + 7);
	r->exception = db_col_dup(st, at + 8);
	r->version = sqlite3_column_int64(st, at + 9);
	db_col_copy(st, at + 10, r->created_at, sizeof r->created_at);
	db_col_copy(st, at + 11, r->updated_at, sizeof r->updated_at);
	db_col_copy(st, at + 12, r->changed_by, sizeof r->changed_by);
	r->appealed = sqlite3_column_int(st, at + 13) != 0;
}

static int
get_one(struct db *db, const char *sql, int64_t key, struct ehc_request *out,
    const char *missing, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, e);
	int rc;

	ehc_request_init(out);
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_request(st, 0, out);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return serr_set(e, SE_NOTFOUND, "%s", missing);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, e, "EHC request");
	return 0;
}

int
ehc_request_get(struct db *db, int64_t id, struct ehc_request *out,
    struct serr *e)
{
	return get_one(db, SQL_REQ_GET, id, out, "EHC request: no such "
	    "request", e);
}

int
ehc_request_latest(struct db *db, int64_t pupil_id, struct ehc_request *out,
    struct serr *e)
{
	return get_one(db, SQL_REQ_LATEST, pupil_id, out, "EHC request: "
	    "the pupil has none", e);
}

struct pupil_state {
	char upn[UPN_LEN + 1];
	bool archived;
	sdate dob;
	char status;
};

static int
pupil_state(struct db *db, int64_t id, struct pupil_state *ps,
    const char *what, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PUPIL_STATE, e);
	int rc;

	memset(ps, 0, sizeof *ps);
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 3);

		db_col_copy(st, 0, ps->upn, sizeof ps->upn);
		ps->archived = sqlite3_column_int(st, 1) != 0;
		ps->dob = db_col_date(st, 2);
		ps->status = s != NULL ? s[0] : 'N';
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return serr_set(e, SE_NOTFOUND, "%s: no pupil with id %lld",
		    what, (long long)id);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, e, what);
	return 0;
}

/* SE_EXISTS naming the open request, or 0 when there is none. */
static int
open_request(struct db *db, int64_t pupil_id, const char *upn,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REQ_OPEN, e);
	char sent[16];
	enum ehc_stage stage = EHC_REQUESTED;
	sdate on = SDATE_NONE;
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		on = db_col_date(st, 0);
		stage = stage_from((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, e, "EHC request");
	if (on == SDATE_NONE)
		snprintf(sent, sizeof sent, "not sent yet");
	else
		date_show(on, sent);
	return serr_set(e, SE_EXISTS, "EHC request: pupil %s has one open "
	    "already (%s%s, %s): record its steps instead", upn,
	    on == SDATE_NONE ? "" : "sent ", sent, ehc_stage_name(stage));
}

/* The dates of a request: sent and received not to come, received not
 * before sent and not without it. */
static int
check_dates(const struct ehc_request *r, sdate dob, struct serr *e)
{
	char a[16], b[16];
	sdate today = date_today();

	if (r->sent_on != SDATE_NONE && r->sent_on > today)
		return serr_set(e, SE_INVALID, "EHC request: sent on %s, in "
		    "the future", date_show(r->sent_on, a));
	if (r->sent_on != SDATE_NONE && dob != SDATE_NONE && r->sent_on < dob)
		return serr_set(e, SE_INVALID, "EHC request: sent on %s, "
		    "before the pupil was born", date_show(r->sent_on, a));
	if (r->received_on == SDATE_NONE)
		return 0;
	if (r->sent_on == SDATE_NONE)
		return serr_set(e, SE_INVALID, "EHC request: a date received "
		    "needs the date it was sent");
	if (r->received_on > today)
		return serr_set(e, SE_INVALID, "EHC request: received on %s, "
		    "in the future", date_show(r->received_on, a));
	if (r->received_on < r->sent_on)
		return serr_set(e, SE_INVALID, "EHC request: received on %s, "
		    "before it was sent (%s)", date_show(r->received_on, a),
		    date_show(r->sent_on, b));
	return 0;
}

static int
check_exception(const struct ehc_request *r, struct serr *e)
{
	if (r->exception != NULL && strlen(r->exception) >= EHC_EXCEPTION_MAX)
		return serr_set(e, SE_INVALID, "EHC request: the exception is "
		    "too long (at most %d bytes)", EHC_EXCEPTION_MAX - 1);
	return 0;
}

int
ehc_request_add(struct db *db, struct ehc_request *r,
    const char *const *evidence, int n_evidence, struct serr *e)
{
	struct pupil_state ps;
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN];
	int ret;

	if (r->requested_by < 0 || r->requested_by >= EHC_BY_COUNT)
		return serr_set(e, SE_INVALID, "EHC request: who asked is not "
		    "school, parent or professional");
	for (int i = 0; i < n_evidence; i++)
		if (evidence[i] == NULL || evidence[i][0] == '\0')
			return serr_set(e, SE_INVALID, "EHC request: the "
			    "evidence text is empty");
	if ((ret = check_exception(r, e)) != 0)
		return ret;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = pupil_state(db, r->pupil_id, &ps, "EHC request", e)) != 0)
		goto fail;
	if (ps.archived) {
		ret = serr_set(e, SE_STATE, "EHC request: pupil %s has left",
		    ps.upn);
		goto fail;
	}
	if ((ret = check_dates(r, ps.dob, e)) != 0 ||
	    (ret = open_request(db, r->pupil_id, ps.upn, e)) != 0)
		goto fail;
	if ((st = db_stmt(db, SQL_REQ_ADD, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	r->id = db_new_id(db);
	timestamp_now(ts);
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->pupil_id);
	if (r->cycle_id != 0)
		sqlite3_bind_int64(st, 3, r->cycle_id);
	else
		sqlite3_bind_null(st, 3);
	db_bind_text(st, 4, ehc_requester_code(r->requested_by));
	db_bind_date(st, 5, r->sent_on);
	db_bind_date(st, 6, r->received_on);
	db_bind_text(st, 7, r->exception);
	db_bind_text(st, 8, ts);
	db_bind_text(st, 9, ts);
	db_bind_text(st, 10, db_author(db));
	if ((ret = db_step_done(db, st, e, "EHC request")) != 0)
		goto fail;
	for (int i = 0; i < n_evidence; i++) {
		struct note n;

		note_init(&n);
		n.pupil_id = r->pupil_id;
		n.on = r->sent_on;
		snprintf(n.kind, sizeof n.kind, "other");
		xasprintf(&n.text, "EHC needs assessment request, evidence: %s",
		    evidence[i]);
		ret = note_add(db, &n, e);
		note_free(&n);
		if (ret != 0)
			goto fail;
	}
	r->stage = EHC_REQUESTED;
	r->stage_on = SDATE_NONE;
	r->version = 1;
	snprintf(r->created_at, sizeof r->created_at, "%s", ts);
	snprintf(r->updated_at, sizeof r->updated_at, "%s", ts);
	snprintf(r->changed_by, sizeof r->changed_by, "%s", db_author(db));
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

int
ehc_request_from_review(struct db *db, int64_t cycle_id, sdate sent,
    struct ehc_request *out, struct serr *e)
{
	struct ehc_request r;
	struct pupil_state ps;
	struct cycle cy;
	char when[16], *text;
	const char *ev[1];
	int ret;

	if (out != NULL)
		ehc_request_init(out);
	cycle_init(&cy);
	if ((ret = cycle_get(db, cycle_id, &cy, e)) != 0)
		return ret;
	if (cy.closed_on == SDATE_NONE || cy.decision != DECISION_EHC) {
		cycle_free(&cy);
		return serr_set(e, SE_STATE, "EHC request: the review did not "
		    "decide to request an EHC needs assessment");
	}
	/* Looked for before any write, so a caller in its own transaction
	 * can carry on after SE_EXISTS. */
	if ((ret = pupil_state(db, cy.pupil_id, &ps, "EHC request", e)) != 0 ||
	    (ret = open_request(db, cy.pupil_id, ps.upn, e)) != 0) {
		cycle_free(&cy);
		return ret;
	}
	ehc_request_init(&r);
	r.pupil_id = cy.pupil_id;
	r.cycle_id = cy.id;
	r.requested_by = EHC_BY_SCHOOL;
	r.sent_on = sent;
	xasprintf(&text, "decided at the SEN support review of %s",
	    date_show(cy.closed_on, when));
	ev[0] = text;
	ret = ehc_request_add(db, &r, ev, 1, e);
	free(text);
	cycle_free(&cy);
	if (ret == 0 && out != NULL)
		*out = r;
	else
		ehc_request_free(&r);
	return ret;
}

/* SE_CONFLICT saying who changed the request since it was read. */
static int
conflict(struct db *db, int64_t id, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REQ_WHO, e);
	char when[TIMESTAMP_LEN] = "", who[AUTHOR_MAX] = "";
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_col_copy(st, 1, when, sizeof when);
		db_col_copy(st, 2, who, sizeof who);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return serr_set(e, SE_NOTFOUND, "EHC request: no such request");
	return serr_set(e, SE_CONFLICT, "EHC request: changed by %s at %s "
	    "since it was read; look again and redo the change", who, when);
}

int
ehc_request_update(struct db *db, struct ehc_request *r, struct serr *e)
{
	struct ehc_request cur;
	struct pupil_state ps;
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN], a[16], b[16];
	int ret;

	if (r->requested_by < 0 || r->requested_by >= EHC_BY_COUNT)
		return serr_set(e, SE_INVALID, "EHC request: who asked is not "
		    "school, parent or professional");
	if ((ret = check_exception(r, e)) != 0)
		return ret;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = ehc_request_get(db, r->id, &cur, e)) != 0)
		goto fail;
	ehc_request_free(&cur);
	if ((ret = pupil_state(db, cur.pupil_id, &ps, "EHC request", e)) != 0 ||
	    (ret = check_dates(r, ps.dob, e)) != 0)
		goto fail;
	/* The steps already taken came after the request. */
	if (cur.stage_on != SDATE_NONE && (r->sent_on == SDATE_NONE ||
	    r->sent_on > cur.stage_on || (r->received_on != SDATE_NONE &&
	    r->received_on > cur.stage_on))) {
		ret = serr_set(e, SE_INVALID, "EHC request: the last step was "
		    "taken on %s; the request must be sent and received by "
		    "then (sent %s)", date_show(cur.stage_on, a),
		    r->sent_on == SDATE_NONE ? "not given" :
		    date_show(r->sent_on, b));
		goto fail;
	}
	if ((st = db_stmt(db, SQL_REQ_SET, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	timestamp_now(ts);
	db_bind_text(st, 1, ehc_requester_code(r->requested_by));
	db_bind_date(st, 2, r->sent_on);
	db_bind_date(st, 3, r->received_on);
	db_bind_text(st, 4, r->exception);
	db_bind_text(st, 5, ts);
	db_bind_text(st, 6, db_author(db));
	sqlite3_bind_int64(st, 7, r->id);
	sqlite3_bind_int64(st, 8, r->version);
	if ((ret = db_step_done(db, st, e, "EHC request")) != 0)
		goto fail;
	if (sqlite3_changes(db_handle(db)) == 0) {
		ret = conflict(db, r->id, e);
		goto fail;
	}
	r->version++;
	snprintf(r->updated_at, sizeof r->updated_at, "%s", ts);
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

/* --- steps ---------------------------------------------------------------- */

static const char SQL_STEP_ADD[] =
    "INSERT INTO ehc_step (id, request_id, pupil_id, seq, step, step_on, "
    "created_at, updated_at, changed_by) VALUES (?, ?, ?, (SELECT "
    "coalesce(max(seq), 0) + 1 FROM ehc_step WHERE request_id = ?2), ?, ?, "
    "?, ?, ?)";
static const char SQL_STEPS[] =
    "SELECT id, seq, step, step_on, changed_by FROM ehc_step "
    "WHERE request_id = ? ORDER BY seq";

static int add_event(struct db *db, const struct ehcp_event *ev,
    struct serr *e);

int
ehc_step_add(struct db *db, int64_t request_id, enum ehc_step_kind k,
    sdate on, struct serr *e)
{
	struct ehc_request r;
	struct pupil_state ps;
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN], a[16], b[16], words[160];
	int ret;

	if (k < 0 || k >= EHC_STEP_COUNT)
		return serr_set(e, SE_INVALID, "EHC request: no such step");
	if (on == SDATE_NONE)
		on = date_today();
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = ehc_request_get(db, request_id, &r, e)) != 0)
		goto fail;
	ehc_request_free(&r);
	if ((ret = pupil_state(db, r.pupil_id, &ps, "EHC request", e)) != 0)
		goto fail;
	if (!(next_steps[r.stage] & 1u << k)) {
		if (next_steps[r.stage] == 0)
			ret = serr_set(e, SE_STATE, "EHC request of %s: %s on "
			    "%s; no step follows", ps.upn,
			    ehc_stage_name(r.stage), date_show(r.stage_on, a));
		else {
			step_list_words(next_steps[r.stage], words,
			    sizeof words);
			ret = serr_set(e, SE_STATE, "EHC request of %s: %s; "
			    "the next step is %s, not %s", ps.upn,
			    ehc_stage_name(r.stage), words, step_words[k].code);
		}
		goto fail;
	}
	if (r.sent_on == SDATE_NONE) {
		ret = serr_set(e, SE_STATE, "EHC request of %s: not sent yet; "
		    "give the day it was sent first", ps.upn);
		goto fail;
	}
	if (on > date_today()) {
		ret = serr_set(e, SE_INVALID, "EHC request of %s: %s on %s, in "
		    "the future", ps.upn, step_words[k].code, date_show(on, a));
		goto fail;
	}
	if (on < r.sent_on || (r.received_on != SDATE_NONE &&
	    on < r.received_on)) {
		ret = serr_set(e, SE_INVALID, "EHC request of %s: %s on %s, "
		    "before the request was %s (%s)", ps.upn,
		    step_words[k].code, date_show(on, a), r.received_on !=
		    SDATE_NONE && on >= r.sent_on ? "received" : "sent",
		    date_show(on < r.sent_on ? r.sent_on : r.received_on, b));
		goto fail;
	}
	if (r.stage_on != SDATE_NONE && on < r.stage_on) {
		ret = serr_set(e, SE_INVALID, "EHC request of %s: %s on %s, "
		    "before the last step (%s, %s)", ps.upn,
		    step_words[k].code, date_show(on, a),
		    ehc_stage_name(r.stage), date_show(r.stage_on, b));
		goto fail;
	}
	timestamp_now(ts);
	if ((st = db_stmt(db, SQL_STEP_ADD, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, db_new_id(db));
	sqlite3_bind_int64(st, 2, request_id);
	sqlite3_bind_int64(st, 3, r.pupil_id);
	db_bind_text(st, 4, step_words[k].code);
	db_bind_date(st, 5, on);
	db_bind_text(st, 6, ts);
	db_bind_text(st, 7, ts);
	db_bind_text(st, 8, db_author(db));
	if ((ret = db_step_done(db, st, e, "EHC request step")) != 0)
		goto fail;
	if ((st = db_stmt(db, SQL_REQ_STAGE, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	db_bind_text(st, 1, stage_words[step_words[k].to].code);
	db_bind_date(st, 2, on);
	db_bind_text(st, 3, ts);
	db_bind_text(st, 4, db_author(db));
	sqlite3_bind_int64(st, 5, request_id);
	if ((ret = db_step_done(db, st, e, "EHC request")) != 0)
		goto fail;
	if (k == EHC_STEP_FINAL) {
		struct ehcp_event ev;

		/* The plan makes the pupil's status E from its date. */
		if (ps.status != 'E' && (ret = pupil_set_status(db, r.pupil_id,
		    'E', on, e)) != 0)
			goto fail;
		ehcp_event_init(&ev);
		ev.pupil_id = r.pupil_id;
		ev.kind = EHCP_ISSUED;
		ev.on = on;
		ev.request_id = request_id;
		if ((ret = add_event(db, &ev, e)) != 0)
			goto fail;
	}
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

static enum ehc_step_kind
step_from(const char *s)
{
	for (int k = 0; s != NULL && k < EHC_STEP_COUNT; k++)
		if (strcmp(s, step_words[k].code) == 0)
			return (enum ehc_step_kind)k;
	return EHC_STEP_APPEAL;
}

int
ehc_step_list(struct db *db, int64_t request_id, ehc_step_cb cb, void *ctx,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_STEPS, e);
	struct ehc_step s;
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, request_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&s, 0, sizeof s);
		s.id = sqlite3_column_int64(st, 0);
		s.seq = sqlite3_column_int(st, 1);
		s.kind = step_from((const char *)sqlite3_column_text(st, 2));
		s.on = db_col_date(st, 3);
		db_col_copy(st, 4, s.changed_by, sizeof s.changed_by);
		if ((ret = cb(ctx, &s)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "EHC request steps");
	sqlite3_reset(st);
	return ret;
}

/* --- lists ---------------------------------------------------------------- */

#define NAME_SQL(p) \
    "coalesce(nullif(" p ".preferred_surname, ''), " p ".legal_surname) || " \
    "', ' || coalesce(nullif(" p ".preferred_forename, ''), " \
    p ".legal_forename)"
#define STATUS_SQL(p) \
    "coalesce((SELECT s.status FROM sen_status s WHERE s.pupil_id = " p \
    ".id AND s.end_date IS NULL), 'N')"

static const char SQL_REQ_LIST[] =
    "SELECT " REQUEST_COLS ", p.upn, " NAME_SQL("p") ", p.year_group, "
    STATUS_SQL("p") " FROM ehc_request r JOIN pupil p ON p.id = r.pupil_id "
    "WHERE (?1 <> 0 AND r.pupil_id = ?1) OR (?1 = 0 AND p.archived = 0 AND "
    "(?2 <> 0 OR r.stage = 'requested' OR r.stage = 'assessing' OR "
    "r.stage = 'draft' OR r.stage = 'appeal')) "
    "ORDER BY r.created_at DESC, r.rowid DESC";

static int
row_order(const void *a, const void *b)
{
	const struct ehc_row *x = a, *y = b;
	bool dx = x->s.next.what != NULL, dy = y->s.next.what != NULL;
	int c;

	if (dx != dy)
		return dx ? -1 : 1;
	if (dx && x->s.next.days_left != y->s.next.days_left)
		return x->s.next.days_left < y->s.next.days_left ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->upn, y->upn);
}

int
ehc_list(struct db *db, sdate today, bool all, int64_t pupil_id,
    struct ehc_list *out, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REQ_LIST, e);
	int rc, cap = 0;

	memset(out, 0, sizeof *out);
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	sqlite3_bind_int(st, 2, all ? 1 : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ehc_row *row;
		const char *s;

		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->v = xreallocarray(out->v, (size_t)cap,
			    sizeof *out->v);
		}
		row = &out->v[out->n++];
		memset(row, 0, sizeof *row);
		read_request(st, 0, &row->r);
		db_col_copy(st, REQUEST_NCOLS, row->upn, sizeof row->upn);
		s = (const char *)sqlite3_column_text(st, REQUEST_NCOLS + 1);
		strlcpy_utf8(row->name, s != NULL ? s : "", sizeof row->name);
		db_col_copy(st, REQUEST_NCOLS + 2, row->year, sizeof row->year);
		s = (const char *)sqlite3_column_text(st, REQUEST_NCOLS + 3);
		row->status = s != NULL ? s[0] : 'N';
		ehc_compute(&row->r, today, &row->s);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		ehc_list_free(out);
		return db_fail(db, rc, e, "EHC requests");
	}
	if (pupil_id == 0 && out->n > 1)
		qsort(out->v, (size_t)out->n, sizeof *out->v, row_order);
	return 0;
}

void
ehc_list_free(struct ehc_list *l)
{
	for (int i = 0; i < l->n; i++)
		ehc_request_free(&l->v[i].r);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* --- EHC plans ------------------------------------------------------------ */

static const char SQL_EVENT_ADD[] =
    "INSERT INTO ehcp_event (id, pupil_id, kind, held_on, report_on, "
    "request_id, notes, created_at, updated_at, changed_by) VALUES "
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_EVENTS[] =
    "SELECT id, pupil_id, kind, held_on, report_on, request_id, notes, "
    "changed_by FROM ehcp_event WHERE pupil_id = ? "
    "ORDER BY held_on, created_at, rowid";
static const char SQL_LAST_REVIEW[] =
    "SELECT id, held_on, report_on FROM ehcp_event WHERE pupil_id = ? AND "
    "kind = 'review' ORDER BY held_on DESC, created_at DESC, rowid DESC "
    "LIMIT 1";
static const char SQL_SET_REPORT[] =
    "UPDATE ehcp_event SET report_on = ?, updated_at = ?, "
    "version = version + 1, changed_by = ? WHERE id = ?";

static int
add_event(struct db *db, const struct ehcp_event *ev, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT_ADD, e);
	char ts[TIMESTAMP_LEN];

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	timestamp_now(ts);
	sqlite3_bind_int64(st, 1, db_new_id(db));
	sqlite3_bind_int64(st, 2, ev->pupil_id);
	db_bind_text(st, 3, event_codes[ev->kind]);
	db_bind_date(st, 4, ev->on);
	db_bind_date(st, 5, ev->report_on);
	if (ev->request_id != 0)
		sqlite3_bind_int64(st, 6, ev->request_id);
	else
		sqlite3_bind_null(st, 6);
	db_bind_text(st, 7, ev->notes);
	db_bind_text(st, 8, ts);
	db_bind_text(st, 9, ts);
	db_bind_text(st, 10, db_author(db));
	return db_step_done(db, st, e, "EHC plan");
}

int
ehcp_event_add(struct db *db, struct ehcp_event *ev, struct serr *e)
{
	static const char *const words[] = { "plan issued", "annual review",
	    "amended plan" };
	struct pupil_state ps;
	char a[16], b[16];
	sdate today = date_today();
	int ret;

	if (ev->kind < EHCP_ISSUED || ev->kind > EHCP_AMENDED)
		return serr_set(e, SE_INVALID, "EHC plan: no such event");
	if (ev->on == SDATE_NONE)
		return serr_set(e, SE_INVALID, "EHC plan: the date of the %s "
		    "is required", words[ev->kind]);
	if (ev->on > today)
		return serr_set(e, SE_INVALID, "EHC plan: %s on %s, in the "
		    "future", words[ev->kind], date_show(ev->on, a));
	if (ev->report_on != SDATE_NONE) {
		if (ev->kind != EHCP_REVIEW)
			return serr_set(e, SE_INVALID, "EHC plan: only a "
			    "review has a report");
		if (ev->report_on > today)
			return serr_set(e, SE_INVALID, "EHC plan: report sent "
			    "on %s, in the future",
			    date_show(ev->report_on, a));
		if (ev->report_on < ev->on)
			return serr_set(e, SE_INVALID, "EHC plan: report sent "
			    "on %s, before the meeting (%s)",
			    date_show(ev->report_on, a), date_show(ev->on, b));
	}
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = pupil_state(db, ev->pupil_id, &ps, "EHC plan", e)) != 0)
		goto fail;
	if (ps.archived) {
		ret = serr_set(e, SE_STATE, "EHC plan: pupil %s has left",
		    ps.upn);
		goto fail;
	}
	if (ev->on < ps.dob) {
		ret = serr_set(e, SE_INVALID, "EHC plan: %s on %s, before the "
		    "pupil was born", words[ev->kind], date_show(ev->on, a));
		goto fail;
	}
	if (ev->kind != EHCP_ISSUED && ps.status != 'E') {
		ret = serr_set(e, SE_STATE, "EHC plan: pupil %s has no EHC "
		    "plan (status %c); record the plan first", ps.upn,
		    ps.status);
		goto fail;
	}
	if (ev->kind == EHCP_ISSUED && ps.status != 'E' &&
	    (ret = pupil_set_status(db, ev->pupil_id, 'E', ev->on, e)) != 0)
		goto fail;
	if ((ret = add_event(db, ev, e)) != 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

int
ehcp_report_sent(struct db *db, int64_t pupil_id, sdate on, struct serr *e)
{
	struct pupil_state ps;
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN], a[16], b[16];
	int64_t id = 0;
	sdate held = SDATE_NONE;
	int rc, ret;

	if (on == SDATE_NONE)
		on = date_today();
	if (on > date_today())
		return serr_set(e, SE_INVALID, "EHC plan: report sent on %s, "
		    "in the future", date_show(on, a));
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = pupil_state(db, pupil_id, &ps, "EHC plan", e)) != 0)
		goto fail;
	if ((st = db_stmt(db, SQL_LAST_REVIEW, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, pupil_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		held = db_col_date(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ret = db_fail(db, rc, e, "EHC plan");
		goto fail;
	}
	if (id == 0) {
		ret = serr_set(e, SE_STATE, "EHC plan: pupil %s has no annual "
		    "review recorded", ps.upn);
		goto fail;
	}
	if (on < held) {
		ret = serr_set(e, SE_INVALID, "EHC plan: report sent on %s, "
		    "before the review meeting (%s)", date_show(on, a),
		    date_show(held, b));
		goto fail;
	}
	if ((st = db_stmt(db, SQL_SET_REPORT, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	timestamp_now(ts);
	db_bind_date(st, 1, on);
	db_bind_text(st, 2, ts);
	db_bind_text(st, 3, db_author(db));
	sqlite3_bind_int64(st, 4, id);
	if ((ret = db_step_done(db, st, e, "EHC plan")) != 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

static enum ehcp_event_kind
event_from(const char *s)
{
	for (int k = EHCP_ISSUED; s != NULL && k <= EHCP_AMENDED; k++)
		if (strcmp(s, event_codes[k]) == 0)
			return (enum ehcp_event_kind)k;
	return EHCP_REVIEW;
}

int
ehcp_event_list(struct db *db, int64_t pupil_id, ehcp_event_cb cb,
    void *ctx, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENTS, e);
	struct ehcp_event ev;
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ehcp_event_init(&ev);
		ev.id = sqlite3_column_int64(st, 0);
		ev.pupil_id = sqlite3_column_int64(st, 1);
		ev.kind = event_from((const char *)sqlite3_column_text(st, 2));
		ev.on = db_col_date(st, 3);
		ev.report_on = db_col_date(st, 4);
		ev.request_id = sqlite3_column_int64(st, 5);
		ev.notes = db_col_dup(st, 6);
		db_col_copy(st, 7, ev.changed_by, sizeof ev.changed_by);
		ret = cb(ctx, &ev);
		ehcp_event_free(&ev);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "EHC plan");
	sqlite3_reset(st);
	return ret;
}

/* --- annual reviews and phase transfer ------------------------------------ */

sdate
ehcp_next_review(sdate plan_on, sdate last_review, sdate dob, bool *under5)
{
	sdate from = last_review != SDATE_NONE && (plan_on == SDATE_NONE ||
	    last_review > plan_on) ? last_review : plan_on;
	bool young;

	if (from == SDATE_NONE) {
		if (under5 != NULL)
			*under5 = false;
		return SDATE_NONE;
	}
	young = dob != SDATE_NONE && date_age_years(dob, from) < 5;
	if (under5 != NULL)
		*under5 = young;
	return date_add_months(from, young ? EHCP_REVIEW_MONTHS_UNDER5 :
	    EHCP_REVIEW_MONTHS);
}

static const char *const default_transfer[] = { "N2", "6", "9", "11" };

void
ehcp_transfer_due(const struct config *cfg, const char *year, sdate today,
    struct ehcp_transfer *out)
{
	int y, m, d, school_year, n, order;
	bool found = false;

	memset(out, 0, sizeof *out);
	out->due = out->window_start = out->reviewed_on = out->amended_on =
	    SDATE_NONE;
	if (year == NULL || year[0] == '\0')
		return;
	n = cfg != NULL ? cfg->n_transfer_years : 4;
	for (int i = 0; i < n; i++)
		if (strcmp(cfg != NULL ? cfg->transfer_years[i] :
		    default_transfer[i], year) == 0)
			found = true;
	if (!found)
		return;
	date_to_ymd(today, &y, &m, &d);
	school_year = m >= 9 ? y : y - 1;
	order = year_order(year);
	out->applies = true;
	out->window_start = date_from_ymd(school_year, 9, 1);
	/* Reg. 18(1): 31 March for secondary school to post-16, 15 February
	 * for every other transfer. */
	if (order >= year_order("11") && order < year_order("X")) {
		out->to = "post-16";
		out->due = date_from_ymd(school_year + 1, 3, 31);
	} else {
		out->to = year[0] == 'N' ? "Reception" : strcmp(year, "2") ==
		    0 ? "junior school" : strcmp(year, "6") == 0 ?
		    "secondary school" : "the next phase";
		out->due = date_from_ymd(school_year + 1, 2, 15);
	}
	out->days_left = out->due - today;
}

/*
 * The plans are read from indexes in pupil order and the pupils' table
 * in id order, matched in C by pupil id. The start of each open E status
 * comes from the index of every status by pupil (a third of the table's
 * pages), matched by its row id from the index of open statuses: looking
 * each one up in the table read a random page for each of 16,000 plans
 * at 100,000 pupils, and one pass of the table cost twice as much.
 */
static const char SQL_PLAN_OPEN[] =
    "SELECT pupil_id, id FROM sen_status INDEXED BY sen_status_current "
    "WHERE end_date IS NULL AND status = 'E' ORDER BY pupil_id";
static const char SQL_PLAN_STARTS[] =
    "SELECT pupil_id, id, start_date FROM sen_status "
    "INDEXED BY sen_status_pupil ORDER BY pupil_id";
/* The pupils on roll among them, searched in id order (each page of
 * pupils read once). */
static const char SQL_PLAN_PUPILS[] =
    "SELECT p.id, p.upn, " NAME_SQL("p") ", p.year_group, p.dob "
    "FROM pupil p WHERE p.archived = 0 AND p.id IN (SELECT s.pupil_id "
    "FROM sen_status s INDEXED BY sen_status_current "
    "WHERE s.end_date IS NULL AND s.status = 'E') ORDER BY p.id";
/* Every plan's events by pupil, each pupil's in the order of SQL_EVENTS:
 * one pass, matched by id, not a search for each of thousands of plans. */
static const char SQL_ALL_EVENTS[] =
    "SELECT pupil_id, kind, held_on, report_on FROM ehcp_event "
    "ORDER BY pupil_id, held_on, created_at, rowid";

static int
take_event(void *ctx, const struct ehcp_event *ev)
{
	struct ehcp_row *row = ctx;
	struct ehcp_transfer *t = &row->transfer;

	switch (ev->kind) {
	case EHCP_ISSUED:
		if (row->plan_from_status || ev->on >= row->plan_on) {
			row->plan_on = ev->on;
			row->plan_from_status = false;
		}
		break;
	case EHCP_REVIEW:
		if (row->last_review == SDATE_NONE ||
		    ev->on >= row->last_review) {
			row->last_review = ev->on;
			row->report_on = ev->report_on;
		}
		break;
	default:
		break;
	}
	if (t->applies && ev->on >= t->window_start) {
		if (ev->kind == EHCP_REVIEW)
			t->reviewed_on = ev->on;
		else
			t->amended_on = ev->on;
	}
	return 0;
}

/* The soonest date still to meet, for the order of the list. */
static sdate
first_due(const struct ehcp_row *r)
{
	sdate d = r->next.due;

	if (r->report_due != SDATE_NONE && r->report_on == SDATE_NONE &&
	    (d == SDATE_NONE || r->report_due < d))
		d = r->report_due;
	if (r->transfer.applies && !r->transfer.done &&
	    (d == SDATE_NONE || r->transfer.due < d))
		d = r->transfer.due;
	return d;
}

static int
plan_order(const void *a, const void *b)
{
	const struct ehcp_row *x = *(const struct ehcp_row *const *)a;
	const struct ehcp_row *y = *(const struct ehcp_row *const *)b;
	sdate dx = first_due(x), dy = first_due(y);
	int c;

	if (dx != dy)
		return dx == SDATE_NONE ? 1 : dy == SDATE_NONE ? -1 :
		    dx < dy ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->upn, y->upn);
}

/*
 * l's rows in plan_order (a total order: UPNs are unique). Pointers are
 * sorted and the rows then moved once each, round the cycles of the
 * permutation: qsort moving the 400-byte rows themselves copied each of
 * them a dozen times.
 */
static void
sort_plans(struct ehcp_list *l)
{
	struct ehcp_row **order, tmp;
	size_t n = (size_t)l->n;

	if (n < 2)
		return;
	order = xcalloc(n, sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = &l->v[i];
	qsort(order, n, sizeof *order, plan_order);
	/* order[k] is the row that belongs at k; a place filled is marked
	 * by order[k] = &v[k]. */
	for (size_t k = 0; k < n; k++) {
		size_t at = k, from;

		if (order[k] == &l->v[k])
			continue;
		tmp = l->v[k];
		while ((from = (size_t)(order[at] - l->v)) != k) {
			l->v[at] = l->v[from];
			order[at] = &l->v[at];
			at = from;
		}
		l->v[at] = tmp;
		order[at] = &l->v[at];
	}
	free(order);
}

/* Each event of the plans in l (by pupil id) given to take_event. */
static int
take_all_events(struct db *db, struct ehcp_list *l, struct serr *e)
{
	sqlite3_stmt *st;
	int rc, at = 0;

	if (l->n == 0)
		return 0;
	if ((st = db_stmt(db, SQL_ALL_EVENTS, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	while (at < l->n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		struct ehcp_event ev;

		while (at < l->n && l->v[at].pupil_id < id)
			at++;
		if (at == l->n || l->v[at].pupil_id != id)
			continue;
		ehcp_event_init(&ev);
		ev.pupil_id = id;
		ev.kind = event_from((const char *)sqlite3_column_text(st, 1));
		ev.on = db_col_date(st, 2);
		ev.report_on = db_col_date(st, 3);
		take_event(&l->v[at], &ev);
		ehcp_event_free(&ev);
	}
	sqlite3_reset(st);
	if (at < l->n && rc != SQLITE_DONE)
		return db_fail(db, rc, e, "EHC plan");
	return 0;
}

/* An open E status's start, for matching to its pupil. */
struct plan_start {
	int64_t pupil_id;
	sdate on;
};

/* The open E statuses, by pupil; *out is the caller's to free (also
 * after an error). */
static int
read_plan_starts(struct db *db, struct plan_start **out, size_t *n,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PLAN_OPEN, e), *all;
	size_t cap = 0;
	int rc, arc;

	*out = NULL;
	*n = 0;
	if (st == NULL || (all = db_stmt(db, SQL_PLAN_STARTS, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	arc = sqlite3_step(all);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t pupil = sqlite3_column_int64(st, 0);
		int64_t id = sqlite3_column_int64(st, 1);

		/* this pupil's statuses, up to the open one */
		while (arc == SQLITE_ROW &&
		    (sqlite3_column_int64(all, 0) < pupil ||
		    (sqlite3_column_int64(all, 0) == pupil &&
		    sqlite3_column_int64(all, 1) != id)))
			arc = sqlite3_step(all);
		if (arc != SQLITE_ROW)
			break;
		if (sqlite3_column_int64(all, 0) != pupil)
			continue;	/* written since: left out */
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		(*out)[*n].pupil_id = pupil;
		(*out)[*n].on = db_col_date(all, 2);
		(*n)++;
	}
	sqlite3_reset(st);
	sqlite3_reset(all);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, rc, e, "EHC plans");
	if (arc != SQLITE_DONE && arc != SQLITE_ROW)
		return db_fail(db, arc, e, "EHC plans");
	return 0;
}

/* A plan's row, its start from the open E status. */
static void
plan_row(struct ehcp_row *row, int64_t id, sdate plan_on)
{
	row->pupil_id = id;
	row->plan_on = plan_on;
	row->plan_from_status = true;
}

/* The plans' pupils read from the pupil table, matched to ps by id. */
static int
plan_pupils_read(struct db *db, const struct plan_start *ps, size_t n_ps,
    struct ehcp_list *out, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PLAN_PUPILS, e);
	size_t at = 0;
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		struct ehcp_row *row;
		const char *s;

		/* one snapshot (ehcp_reviews()): every pupil of the first
		 * pass is here */
		while (at < n_ps && ps[at].pupil_id < id)
			at++;
		if (at == n_ps || ps[at].pupil_id != id ||
		    (size_t)out->n == n_ps)
			continue;
		row = &out->v[out->n++];
		plan_row(row, id, ps[at].on);
		db_col_copy(st, 1, row->upn, sizeof row->upn);
		s = (const char *)sqlite3_column_text(st, 2);
		strlcpy_utf8(row->name, s != NULL ? s : "", sizeof row->name);
		db_col_copy(st, 3, row->year, sizeof row->year);
		row->dob = db_col_date(st, 4);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "EHC plans");
	return 0;
}

/* The plans' pupils from the caller's pupils (by id), matched to ps as
 * plan_pupils_read matches the table's rows. */
static void
plan_pupils_given(const struct ehcp_pupil *pp, int n_pp,
    const struct plan_start *ps, size_t n_ps, struct ehcp_list *out)
{
	size_t at = 0;

	for (int i = 0; i < n_pp; i++) {
		const struct ehcp_pupil *p = &pp[i];
		struct ehcp_row *row;

		while (at < n_ps && ps[at].pupil_id < p->id)
			at++;
		if (at == n_ps || ps[at].pupil_id != p->id ||
		    (size_t)out->n == n_ps)
			continue;
		row = &out->v[out->n++];
		plan_row(row, p->id, ps[at].on);
		strlcpy_utf8(row->upn, p->upn, sizeof row->upn);
		strlcpy_utf8(row->name, p->name, sizeof row->name);
		strlcpy_utf8(row->year, p->year, sizeof row->year);
		row->dob = p->dob;
	}
}

/* pupils NULL: read from the pupil table. */
static int
reviews_read(struct db *db, const struct config *cfg, sdate today,
    const struct ehcp_pupil *pupils, int n_pupils, struct ehcp_list *out,
    struct serr *e)
{
	struct plan_start *ps = NULL;
	size_t n_ps;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = read_plan_starts(db, &ps, &n_ps, e)) != 0)
		goto fail;
	/* At most one row a status; zeroed, in 2 MB pages when a report
	 * reads once (6 MB at 100,000 pupils). */
	out->v = report_calloc(n_ps, sizeof *out->v);
	if (pupils != NULL)
		plan_pupils_given(pupils, n_pupils, ps, n_ps, out);
	else if ((rc = plan_pupils_read(db, ps, n_ps, out, e)) != 0)
		goto fail;
	free(ps);
	ps = NULL;
	for (int i = 0; i < out->n; i++) {
		struct ehcp_row *row = &out->v[i];

		row->last_review = row->report_on = SDATE_NONE;
		row->report_due = row->next_report_due = SDATE_NONE;
		ehcp_transfer_due(cfg, row->year, today, &row->transfer);
	}
	if ((rc = take_all_events(db, out, e)) != 0)
		goto fail;
	for (int i = 0; i < out->n; i++) {
		struct ehcp_row *row = &out->v[i];
		struct ehcp_transfer *t = &row->transfer;

		if (row->last_review != SDATE_NONE &&
		    row->last_review < row->plan_on)
			row->last_review = row->report_on = SDATE_NONE;
		if (row->last_review != SDATE_NONE) {
			row->report_due = row->last_review + EHCP_REPORT_DAYS;
			row->report_days_left = row->report_due - today;
			row->report_overdue = row->report_on == SDATE_NONE &&
			    row->report_days_left < 0;
		}
		row->next.what = "annual review";
		row->next.due = ehcp_next_review(row->plan_on, row->last_review,
		    row->dob, &row->under5);
		if (row->next.due != SDATE_NONE) {
			row->next.days_left = row->next.due - today;
			row->next.overdue = row->next.days_left < 0;
			row->next_report_due = row->next.due + EHCP_REPORT_DAYS;
		}
		if (t->applies) {
			t->done = t->amended_on != SDATE_NONE;
			t->overdue = !t->done && t->days_left < 0;
		}
	}
	sort_plans(out);
	return 0;
fail:
	free(ps);
	ehcp_list_free(out);
	return rc;
}

/* Its passes read one state of the caseload. */
int
ehcp_reviews(struct db *db, const struct config *cfg, sdate today,
    struct ehcp_list *out, struct serr *e)
{
	bool began = db_read_begin(db);
	int rc = reviews_read(db, cfg, today, NULL, 0, out, e);

	db_read_end(db, began);
	return rc;
}

int
ehcp_reviews_of(struct db *db, const struct config *cfg, sdate today,
    const struct ehcp_pupil *pupils, int n, struct ehcp_list *out,
    struct serr *e)
{
	static const struct ehcp_pupil none;
	bool began = db_read_begin(db);
	int rc = reviews_read(db, cfg, today, pupils != NULL ? pupils : &none,
	    n, out, e);

	db_read_end(db, began);
	return rc;
}

void
ehcp_list_free(struct ehcp_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}
