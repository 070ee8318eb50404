/*
 * ehc.h: the statutory dates a SENCO chases (../shared/DOMAIN.md,
 * "Statutory timelines"): requests for an EHC needs assessment and their
 * steps, and the life of an EHC plan: its annual reviews and the
 * deadline of a pupil changing phase.
 *
 * The arithmetic is plain calendar arithmetic: weeks are calendar weeks
 * that run through school holidays, from the day the local authority
 * received the request. The SEND Regulations 2014 (reg. 5(4), 10(4);
 * Code of Practice 9.42) excuse the LA from the 6- and 20-week limits in
 * a few cases (advice asked of a school in the week before a closure of
 * 4 weeks or more, until a week before it reopens; exceptional personal
 * circumstances of the child or parent; their absence from the area for
 * 4 weeks or more; a missed appointment). Those are exceptions to be
 * argued, not a change of the dates: senco keeps the plain dates and a
 * free-text `exception` on the request that lists show beside them.
 *
 * Everything a list shows is computed here for a given day, so the CLI
 * and the UI print the same "OVERDUE by 9 days".
 */
#ifndef SENCO_EHC_H
#define SENCO_EHC_H

#include <stdbool.h>
#include <stdint.h>
#include "codes.h"
#include "config.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "pupil.h"

/* The statutory limits, in days from the LA's receipt of the request. */
#define EHC_DECISION_DAYS (6 * 7)	/* decide whether to assess */
#define EHC_DRAFT_DAYS (16 * 7)		/* decide whether to issue; draft */
#define EHC_FINAL_DAYS (20 * 7)		/* issue the final plan */
/* Parents may appeal a refusal to the Tribunal within two months. */
#define EHC_APPEAL_MONTHS 2
/* An annual review's report goes to the LA within two weeks. */
#define EHCP_REPORT_DAYS 14
#define EHCP_REVIEW_MONTHS 12
#define EHCP_REVIEW_MONTHS_UNDER5 6
#define EHC_EXCEPTION_MAX 512

enum ehc_requester { EHC_BY_SCHOOL = 0, EHC_BY_PARENT, EHC_BY_PROFESSIONAL,
    EHC_BY_COUNT };

/* Where a request has got to. */
enum ehc_stage {
	EHC_REQUESTED = 0,	/* waiting for the decision to assess */
	EHC_ASSESSING,		/* decision agreed: the assessment runs */
	EHC_DECLINED,		/* decision: not to assess (appealable) */
	EHC_DRAFT,		/* a draft plan was issued */
	EHC_FINAL,		/* the final plan was issued: status E */
	EHC_REFUSED,		/* decision: not to issue a plan (appealable) */
	EHC_APPEAL,		/* appealed to the Tribunal */
	EHC_STAGE_COUNT
};

/* The steps as typed: decision-agreed, decision-declined, draft, final,
 * refused, appeal. */
enum ehc_step_kind {
	EHC_STEP_AGREED = 0,
	EHC_STEP_DECLINED,
	EHC_STEP_DRAFT,
	EHC_STEP_FINAL,
	EHC_STEP_REFUSED,
	EHC_STEP_APPEAL,
	EHC_STEP_COUNT
};

const char *ehc_requester_code(enum ehc_requester r);	/* "school" */
int ehc_requester_parse(const char *s, enum ehc_requester *out,
    struct serr *e);
const char *ehc_stage_code(enum ehc_stage s);		/* "assessing" */
const char *ehc_stage_name(enum ehc_stage s);	/* "assessment agreed" */
const char *ehc_step_code(enum ehc_step_kind k);	/* "decision-agreed" */
const char *ehc_step_name(enum ehc_step_kind k);	/* "decision to assess:
							 * agreed" */
int ehc_step_parse(const char *s, enum ehc_step_kind *out, struct serr *e);

struct ehc_request {
	int64_t id;
	int64_t pupil_id;
	int64_t cycle_id;		/* the review that decided it, or 0 */
	enum ehc_requester requested_by;
	sdate sent_on;			/* SDATE_NONE: not sent yet */
	sdate received_on;		/* SDATE_NONE: not known */
	enum ehc_stage stage;
	sdate stage_on;			/* the day of the last step */
	char *exception;		/* heap, NULL if none */
	bool appealed;			/* has been to the Tribunal: the later
					 * dates are the Tribunal's order's
					 * (read only) */
	int64_t version;
	char created_at[TIMESTAMP_LEN];
	char updated_at[TIMESTAMP_LEN];
	char changed_by[AUTHOR_MAX];
};

void ehc_request_init(struct ehc_request *r);
void ehc_request_free(struct ehc_request *r);

/* --- the date arithmetic (no database) ------------------------------------ */

/* A deadline as a list shows it, on a given day. */
struct ehc_due {
	const char *what;	/* "decision to assess", NULL if none */
	sdate due;
	int days_left;		/* due - today: negative when overdue */
	bool overdue;
};

/* Everything about a request's dates, worked out for `today`. */
struct ehc_status {
	sdate clock_start;	/* received_on, else sent_on, else NONE */
	bool clock_assumed;	/* received_on unknown: sent_on used */
	sdate decision_due, draft_due, final_due;	/* NONE without clock */
	int days_elapsed;	/* to today, or to the last step once the
				 * request is decided; -1 without a clock */
	int weeks_elapsed;	/* whole weeks of days_elapsed */
	struct ehc_due next;	/* the next statutory deadline */
	sdate appeal_by;	/* declined/refused: the parents' appeal
				 * window ends (two months), else NONE */
};

/* d + n weeks: calendar days, holidays and year ends included. */
sdate ehc_add_weeks(sdate d, int weeks);
void ehc_compute(const struct ehc_request *r, sdate today,
    struct ehc_status *out);
/* The deadline a step is measured against (6, 16 or 20 weeks from the
 * clock), SDATE_NONE for an appeal or without a clock. */
sdate ehc_step_due(const struct ehc_status *s, enum ehc_step_kind k);
/* "OVERDUE by 9 days", "due today", "due in 3 days", "" without a
 * deadline. buf >= 32. */
char *ehc_due_text(const struct ehc_due *d, char *buf, size_t n);
/* "12w 3d". buf >= 16; "" without a clock. */
char *ehc_elapsed_text(const struct ehc_status *s, char *buf, size_t n);

/* --- requests ------------------------------------------------------------- */

/*
 * Record a request. r->pupil_id, requested_by, sent_on (SDATE_NONE: not
 * sent yet), received_on (may be SDATE_NONE), exception (may be NULL) are
 * read; id, stage, version and timestamps filled in. Dates may not be in
 * the future, nor the receipt before the sending. Each evidence text
 * (n_evidence of them, may be 0) becomes a note on the pupil (kind
 * "other", dated the day sent, else today) in the same transaction.
 * SE_EXISTS when the pupil has a request still open (requested,
 * assessing or draft).
 */
int ehc_request_add(struct db *db, struct ehc_request *r,
    const char *const *evidence, int n_evidence, struct serr *e);
/*
 * The request decided at a SEN support review (a cycle closed with the
 * decision "request an EHC needs assessment"): requested by the school,
 * linked to the cycle, sent on `sent` (SDATE_NONE: not sent yet), with a
 * note naming the review. SE_STATE unless the cycle is closed with that
 * decision. SE_EXISTS, with nothing written and the transaction left
 * alone, when the pupil already has an open request, so a caller inside
 * its own transaction (closing the cycle) can carry on. *out, if given,
 * receives the request (free with ehc_request_free).
 */
int ehc_request_from_review(struct db *db, int64_t cycle_id, sdate sent,
    struct ehc_request *out, struct serr *e);
/* Write sent_on, received_on, requested_by and exception of r over row
 * r->id (version checked, as pupil_update). */
int ehc_request_update(struct db *db, struct ehc_request *r, struct serr *e);
int ehc_request_get(struct db *db, int64_t id, struct ehc_request *out,
    struct serr *e);
/* The pupil's latest request (open or not): 0, or SE_NOTFOUND. */
int ehc_request_latest(struct db *db, int64_t pupil_id,
    struct ehc_request *out, struct serr *e);

/*
 * Take a step on `on` (SDATE_NONE = today). Allowed: from requested,
 * decision-agreed or decision-declined; from assessing, draft, refused or
 * final; from draft, final; from declined or refused, appeal; from an
 * appeal, decision-agreed, draft or final (what the Tribunal ordered).
 * Anything else is SE_STATE naming what can follow. The date may not be
 * in the future, before the request was sent, or before the last step. A
 * final plan sets the pupil's status to E from its date (unless it is E
 * already) and records the plan as issued, in the same transaction.
 */
int ehc_step_add(struct db *db, int64_t request_id, enum ehc_step_kind k,
    sdate on, struct serr *e);

struct ehc_step {
	int64_t id;
	int seq;
	enum ehc_step_kind kind;
	sdate on;
	char changed_by[AUTHOR_MAX];
};
typedef int (*ehc_step_cb)(void *ctx, const struct ehc_step *s);
/* A request's steps, in the order taken. */
int ehc_step_list(struct db *db, int64_t request_id, ehc_step_cb cb,
    void *ctx, struct serr *e);

/* One request as lists show it, with its pupil and computed dates. */
struct ehc_row {
	struct ehc_request r;		/* exception is the row's own */
	char upn[UPN_LEN + 1];
	char name[2 * NAME_MAX_BYTES + 4];	/* "Surname, Forename" */
	char year[YEAR_MAX];
	char status;			/* the pupil's SEN status now */
	struct ehc_status s;
};

struct ehc_list {
	struct ehc_row *v;
	int n;
};

/*
 * Requests for `today`: open ones (requested, assessing, draft, appeal),
 * or all with `all`; the most pressing first (overdue by most days, then
 * due soonest, then those with no deadline, by pupil). Pupils who have
 * left are left out. pupil_id non-zero: that pupil's only, all of them,
 * newest first. out is the caller's to free with ehc_list_free.
 */
int ehc_list(struct db *db, sdate today, bool all, int64_t pupil_id,
    struct ehc_list *out, struct serr *e);
void ehc_list_free(struct ehc_list *l);

/* --- EHC plans: issue, annual reviews, amendments ------------------------- */

enum ehcp_event_kind { EHCP_ISSUED = 0, EHCP_REVIEW, EHCP_AMENDED };
const char *ehcp_event_code(enum ehcp_event_kind k);	/* "review" */

struct ehcp_event {
	int64_t id;
	int64_t pupil_id;
	enum ehcp_event_kind kind;
	sdate on;			/* plan issued, meeting held, amended */
	sdate report_on;		/* review: report sent to the LA, or
					 * SDATE_NONE */
	int64_t request_id;		/* issued by a request's final plan */
	char *notes;			/* heap, may be NULL */
	char changed_by[AUTHOR_MAX];
};

void ehcp_event_init(struct ehcp_event *ev);
void ehcp_event_free(struct ehcp_event *ev);

/*
 * Record an event for ev->pupil_id on ev->on (not in the future):
 * EHCP_REVIEW (an annual review meeting, with the report's date if sent)
 * and EHCP_AMENDED need status E; EHCP_ISSUED (a plan the pupil came
 * with, or issued outside a request) sets status E from its date when
 * needed. report_on only for a review, not before the meeting.
 */
int ehcp_event_add(struct db *db, struct ehcp_event *ev, struct serr *e);
/* Set the day the report of the pupil's latest review went to the LA. */
int ehcp_report_sent(struct db *db, int64_t pupil_id, sdate on,
    struct serr *e);
typedef int (*ehcp_event_cb)(void *ctx, const struct ehcp_event *ev);
/* A pupil's plan events, oldest first. */
int ehcp_event_list(struct db *db, int64_t pupil_id, ehcp_event_cb cb,
    void *ctx, struct serr *e);

/* Transfer between phases (SEND Regulations 2014, reg. 18). */
struct ehcp_transfer {
	bool applies;		/* the pupil's year group changes phase at
				 * the end of this school year */
	const char *to;		/* "Reception", "the next phase", "post-16" */
	sdate due;		/* 15 February, or 31 March into post-16, in
				 * the calendar year of the transfer */
	sdate window_start;	/* 1 September before: a review or
				 * amendment from then counts */
	sdate reviewed_on;	/* the review in the window, or NONE */
	sdate amended_on;	/* the amended (or new) plan in the
				 * window, or NONE */
	bool done;		/* amended (or issued) in the window */
	int days_left;		/* due - today */
	bool overdue;		/* not done and past due */
};

/* An EHC plan's review dates, on a given day. */
struct ehcp_row {
	int64_t pupil_id;
	char upn[UPN_LEN + 1];
	char name[2 * NAME_MAX_BYTES + 4];
	char year[YEAR_MAX];
	sdate dob;
	sdate plan_on;		/* the latest plan issued, else the start
				 * of status E */
	bool plan_from_status;	/* no plan recorded: E status start used */
	sdate last_review;	/* the latest review meeting, or NONE */
	sdate report_due;	/* last_review + 2 weeks, or NONE */
	sdate report_on;	/* the day that report went, or NONE */
	bool report_overdue;	/* not sent and past report_due */
	int report_days_left;
	bool under5;		/* under 5 on the date counted from */
	struct ehc_due next;	/* the next annual review */
	sdate next_report_due;	/* next.due + 2 weeks */
	struct ehcp_transfer transfer;
};

struct ehcp_list {
	struct ehcp_row *v;
	int n;
};

/*
 * The next annual review of an EHC plan: 12 months after the latest of
 * the plan's issue and its last review, or 6 months when the child is
 * under 5 on that date. A pure function for the UI and tests.
 */
sdate ehcp_next_review(sdate plan_on, sdate last_review, sdate dob,
    bool *under5);
/*
 * The phase-transfer deadline of a pupil in `year` on `today`, with the
 * configured transfer year groups (cfg NULL: N2, 6, 9 and 11): the school
 * year runs 1 September to 31 August; a pupil in a transfer year in
 * school year Y/Y+1 moves phase in September Y+1, so the plan must be
 * reviewed and amended by 15 February Y+1 (31 March Y+1 from year 11,
 * into post-16). Fills applies, to, due and window_start only.
 */
void ehcp_transfer_due(const struct config *cfg, const char *year,
    sdate today, struct ehcp_transfer *out);

/*
 * Every pupil on roll with status E, with the dates above for `today`:
 * those overdue first (most overdue first), then by the next date due.
 * out is the caller's to free with ehcp_list_free.
 */
int ehcp_reviews(struct db *db, const struct config *cfg, sdate today,
    struct ehcp_list *out, struct serr *e);

/* A pupil with status E as a caller that has read the pupil table
 * already has them (a report: one pass of it, not two). */
struct ehcp_pupil {
	int64_t id;
	const char *upn;
	const char *name;	/* "Surname, Forename", uncut */
	const char *year;
	sdate dob;
};
/* ehcp_reviews of pupils[0..n-1]: every pupil on roll whose open status
 * is E, by id, read in the snapshot the caller reads (an open read
 * transaction), not read again. */
int ehcp_reviews_of(struct db *db, const struct config *cfg, sdate today,
    const struct ehcp_pupil *pupils, int n, struct ehcp_list *out,
    struct serr *e);
void ehcp_list_free(struct ehcp_list *l);

#endif
