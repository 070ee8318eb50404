/*
 * record.c: the other records a SENCO keeps about a pupil: the dated
 * contact log (notes), exclusions and outside-agency involvement.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "record.h"
#include "xmalloc.h"

static const char *const note_kinds[] = {
	"meeting", "phone", "email", "letter", "other",
};
#define NOTE_KIND_COUNT (sizeof note_kinds / sizeof note_kinds[0])

static const char *const agency_statuses[] = {
	"referred", "involved", "advice received", "closed",
};
#define AGENCY_STATUS_COUNT (sizeof agency_statuses / sizeof agency_statuses[0])

static const char *const exclusion_words[] = { "suspension", "permanent" };

/* Strip surrounding blanks in place. */
static void
trim(char *s)
{
	size_t len, lead = 0;

	while (isspace((unsigned char)s[lead]))
		lead++;
	len = strlen(s + lead);
	memmove(s, s + lead, len + 1);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
}

static bool
blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/*
 * Normalise `word` (trimmed, any case) in place to one of `words`; "" gives
 * `dflt`. Returns 0 or -1 if it is none of them.
 */
static int
pick_word(char *word, size_t n, const char *const *words, size_t count,
    const char *dflt)
{
	trim(word);
	if (word[0] == '\0') {
		snprintf(word, n, "%s", dflt);
		return 0;
	}
	for (size_t i = 0; i < count; i++)
		if (strcasecmp(word, words[i]) == 0) {
			snprintf(word, n, "%s", words[i]);
			return 0;
		}
	return -1;
}

static const char SQL_PUPIL_EXISTS[] = "SELECT 1 FROM pupil WHERE id = ?";

/* SE_NOTFOUND (naming `what`) unless the pupil exists. */
static int
check_pupil(struct db *db, int64_t pupil_id, const char *what,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PUPIL_EXISTS, e);
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return serr_set(e, SE_NOTFOUND, "%s: no pupil with id %lld",
		    what, (long long)pupil_id);
	return db_fail(db, rc, e, what);
}

/* A date of something that has happened: required, not after today. */
static int
check_past(sdate d, const char *what, const char *field, struct serr *e)
{
	char a[DATE_ISO_LEN];

	if (d == SDATE_NONE)
		return serr_set(e, SE_INVALID, "%s: the %s is required", what,
		    field);
	if (d > date_today())
		return serr_set(e, SE_INVALID, "%s: the %s %s is in the "
		    "future", what, field, date_iso(d, a));
	return 0;
}

/* --- notes ------------------------------------------------------------ */

/* Frees the heap strings only; n itself belongs to the caller. */
void
note_init(struct note *n)
{
	memset(n, 0, sizeof *n);
	n->on = SDATE_NONE;
}

void
exclusion_init(struct exclusion *x)
{
	memset(x, 0, sizeof *x);
	x->on = SDATE_NONE;
}

void
agency_init(struct agency *a)
{
	memset(a, 0, sizeof *a);
	a->referred_on = SDATE_NONE;
	a->advice_on = SDATE_NONE;
}

void
note_free(struct note *n)
{
	if (n == NULL)
		return;
	free(n->text);
	n->text = NULL;
}

static const char SQL_NOTE_INSERT[] =
    "INSERT INTO note (id, pupil_id, noted_on, author, kind, text, "
    "created_at, updated_at, version, changed_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)";
/* Same-day notes: the one written last comes first. */
static const char SQL_NOTE_LIST[] =
    "SELECT id, pupil_id, noted_on, author, kind, text, created_at "
    "FROM note WHERE pupil_id = ? "
    "ORDER BY noted_on DESC, created_at DESC";

int
note_add(struct db *db, struct note *n, struct serr *e)
{
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	sdate on = n->on == SDATE_NONE ? date_today() : n->on;
	int64_t id;
	int ret;

	if (blank(n->text))
		return serr_set(e, SE_INVALID, "note: the text is empty");
	if (pick_word(n->kind, sizeof n->kind, note_kinds, NOTE_KIND_COUNT,
	    "other") != 0)
		return serr_set(e, SE_INVALID, "note: kind '%s' is not "
		    "meeting, phone, email, letter or other", n->kind);
	if ((ret = check_past(on, "note", "date", e)) != 0)
		return ret;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = check_pupil(db, n->pupil_id, "note", e)) != 0)
		goto fail;
	if ((st = db_stmt(db, SQL_NOTE_INSERT, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	id = db_new_id(db);
	timestamp_now(now);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n->pupil_id);
	db_bind_date(st, 3, on);
	db_bind_text(st, 4, db_author(db));
	db_bind_text(st, 5, n->kind);
	db_bind_text(st, 6, n->text);
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, now);
	db_bind_text(st, 9, db_author(db));
	if ((ret = db_step_done(db, st, e, "note")) != 0)
		goto fail;
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	n->id = id;
	n->on = on;
	snprintf(n->author, sizeof n->author, "%s", db_author(db));
	snprintf(n->created_at, sizeof n->created_at, "%s", now);
	return 0;
fail:
	db_rollback(db);
	return ret;
}

/* The callback sees each note for the length of the call only. */
int
note_list(struct db *db, int64_t pupil_id, note_cb cb, void *ctx,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_NOTE_LIST, e);
	struct note n;
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&n, 0, sizeof n);
		n.id = sqlite3_column_int64(st, 0);
		n.pupil_id = sqlite3_column_int64(st, 1);
		n.on = db_col_date(st, 2);
		db_col_copy(st, 3, n.author, sizeof n.author);
		db_col_copy(st, 4, n.kind, sizeof n.kind);
		n.text = db_col_dup(st, 5);
		db_col_copy(st, 6, n.created_at, sizeof n.created_at);
		ret = cb(ctx, &n);
		note_free(&n);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "notes");
	sqlite3_reset(st);
	return ret;
}

/* --- exclusions ------------------------------------------------------- */

/* Frees the heap strings only; x itself belongs to the caller. */
void
exclusion_free(struct exclusion *x)
{
	if (x == NULL)
		return;
	free(x->reason);
	x->reason = NULL;
}

static const char SQL_EXCL_INSERT[] =
    "INSERT INTO exclusion (id, pupil_id, excluded_on, kind, sessions, "
    "reason, created_at, updated_at, version, changed_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)";
static const char SQL_EXCL_LIST[] =
    "SELECT id, pupil_id, excluded_on, kind, sessions, reason, created_at, "
    "changed_by FROM exclusion WHERE pupil_id = ? "
    "ORDER BY excluded_on DESC, created_at DESC";

int
exclusion_add(struct db *db, struct exclusion *x, struct serr *e)
{
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int64_t id;
	int ret;

	if ((ret = check_past(x->on, "exclusion", "date", e)) != 0)
		return ret;
	if (x->kind != EXCLUSION_SUSPENSION && x->kind != EXCLUSION_PERMANENT)
		return serr_set(e, SE_INVALID, "exclusion: the kind must be "
		    "suspension or permanent");
	if (x->kind == EXCLUSION_SUSPENSION && x->sessions < 1)
		return serr_set(e, SE_INVALID, "exclusion: a suspension is "
		    "for at least 1 session (half day), not %d", x->sessions);
	if (x->sessions < 0)
		return serr_set(e, SE_INVALID, "exclusion: %d sessions: "
		    "cannot be negative", x->sessions);
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = check_pupil(db, x->pupil_id, "exclusion", e)) != 0)
		goto fail;
	if ((st = db_stmt(db, SQL_EXCL_INSERT, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	id = db_new_id(db);
	timestamp_now(now);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, x->pupil_id);
	db_bind_date(st, 3, x->on);
	db_bind_text(st, 4, exclusion_words[x->kind]);
	sqlite3_bind_int(st, 5, x->sessions);
	db_bind_text(st, 6, blank(x->reason) ? NULL : x->reason);
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, now);
	db_bind_text(st, 9, db_author(db));
	if ((ret = db_step_done(db, st, e, "exclusion")) != 0)
		goto fail;
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	x->id = id;
	snprintf(x->created_at, sizeof x->created_at, "%s", now);
	snprintf(x->changed_by, sizeof x->changed_by, "%s", db_author(db));
	return 0;
fail:
	db_rollback(db);
	return ret;
}

/* The callback sees each exclusion for the length of the call only. */
int
exclusion_list(struct db *db, int64_t pupil_id, exclusion_cb cb, void *ctx,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EXCL_LIST, e);
	struct exclusion x;
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 3);

		memset(&x, 0, sizeof x);
		x.id = sqlite3_column_int64(st, 0);
		x.pupil_id = sqlite3_column_int64(st, 1);
		x.on = db_col_date(st, 2);
		x.kind = kind != NULL && strcmp(kind, "permanent") == 0 ?
		    EXCLUSION_PERMANENT : EXCLUSION_SUSPENSION;
		x.sessions = sqlite3_column_int(st, 4);
		x.reason = db_col_dup(st, 5);
		db_col_copy(st, 6, x.created_at, sizeof x.created_at);
		db_col_copy(st, 7, x.changed_by, sizeof x.changed_by);
		ret = cb(ctx, &x);
		exclusion_free(&x);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "exclusions");
	sqlite3_reset(st);
	return ret;
}

/* --- agency involvement ----------------------------------------------- */

/* Frees the heap strings only; a itself belongs to the caller. */
void
agency_free(struct agency *a)
{
	if (a == NULL)
		return;
	free(a->notes);
	a->notes = NULL;
}

static const char SQL_AG_INSERT[] =
    "INSERT INTO agency_involvement (id, pupil_id, agency, referred_on, "
    "status, advice_on, notes, created_at, updated_at, version, changed_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)";
static const char SQL_AG_UPDATE[] =
    "UPDATE agency_involvement SET agency = ?, referred_on = ?, status = ?, "
    "advice_on = ?, notes = ?, updated_at = ?, version = version + 1, "
    "changed_by = ? WHERE id = ? AND version = ?";
static const char SQL_AG_WHO[] =
    "SELECT changed_by, updated_at FROM agency_involvement WHERE id = ?";
static const char SQL_AG_LIST[] =
    "SELECT id, pupil_id, agency, referred_on, status, advice_on, notes, "
    "version, created_at, updated_at, changed_by FROM agency_involvement "
    "WHERE pupil_id = ? ORDER BY referred_on DESC, created_at DESC";

static int
agency_validate(struct agency *a, struct serr *e)
{
	char x[DATE_ISO_LEN], y[DATE_ISO_LEN];

	trim(a->agency);
	if (a->agency[0] == '\0')
		return serr_set(e, SE_INVALID, "agency involvement: the "
		    "agency is required");
	if (a->referred_on == SDATE_NONE)
		return serr_set(e, SE_INVALID, "agency involvement: %s: the "
		    "referral date is required", a->agency);
	if (pick_word(a->status, sizeof a->status, agency_statuses,
	    AGENCY_STATUS_COUNT, "referred") != 0)
		return serr_set(e, SE_INVALID, "agency involvement: %s: "
		    "status '%s' is not referred, involved, advice received "
		    "or closed", a->agency, a->status);
	if (a->advice_on != SDATE_NONE && a->advice_on < a->referred_on)
		return serr_set(e, SE_INVALID, "agency involvement: %s: "
		    "advice on %s is before the referral on %s", a->agency,
		    date_iso(a->advice_on, x), date_iso(a->referred_on, y));
	return 0;
}

int
agency_add(struct db *db, struct agency *a, struct serr *e)
{
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int64_t id;
	int ret;

	if ((ret = agency_validate(a, e)) != 0)
		return ret;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = check_pupil(db, a->pupil_id, "agency involvement", e)) != 0)
		goto fail;
	if ((st = db_stmt(db, SQL_AG_INSERT, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	id = db_new_id(db);
	timestamp_now(now);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, a->pupil_id);
	db_bind_text(st, 3, a->agency);
	db_bind_date(st, 4, a->referred_on);
	db_bind_text(st, 5, a->status);
	db_bind_date(st, 6, a->advice_on);
	db_bind_text(st, 7, blank(a->notes) ? NULL : a->notes);
	db_bind_text(st, 8, now);
	db_bind_text(st, 9, now);
	db_bind_text(st, 10, db_author(db));
	if ((ret = db_step_done(db, st, e, "agency involvement")) != 0)
		goto fail;
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	a->id = id;
	a->version = 1;
	snprintf(a->created_at, sizeof a->created_at, "%s", now);
	snprintf(a->updated_at, sizeof a->updated_at, "%s", now);
	snprintf(a->changed_by, sizeof a->changed_by, "%s", db_author(db));
	return 0;
fail:
	db_rollback(db);
	return ret;
}

/* The pupil of an involvement never changes; a->pupil_id is not written. */
int
agency_update(struct db *db, struct agency *a, struct serr *e)
{
	char now[TIMESTAMP_LEN], who[AUTHOR_MAX], when[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int ret, rc;

	if ((ret = agency_validate(a, e)) != 0)
		return ret;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((st = db_stmt(db, SQL_AG_UPDATE, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	timestamp_now(now);
	db_bind_text(st, 1, a->agency);
	db_bind_date(st, 2, a->referred_on);
	db_bind_text(st, 3, a->status);
	db_bind_date(st, 4, a->advice_on);
	db_bind_text(st, 5, blank(a->notes) ? NULL : a->notes);
	db_bind_text(st, 6, now);
	db_bind_text(st, 7, db_author(db));
	sqlite3_bind_int64(st, 8, a->id);
	sqlite3_bind_int64(st, 9, a->version);
	if ((ret = db_step_done(db, st, e, "agency involvement")) != 0)
		goto fail;
	if (sqlite3_changes(db_handle(db)) == 0) {
		/* Either gone or changed since it was read: say which. */
		if ((st = db_stmt(db, SQL_AG_WHO, e)) == NULL) {
			ret = e != NULL ? e->code : SE_DB;
			goto fail;
		}
		sqlite3_bind_int64(st, 1, a->id);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			db_col_copy(st, 0, who, sizeof who);
			db_col_copy(st, 1, when, sizeof when);
			ret = serr_set(e, SE_CONFLICT, "agency involvement: "
			    "changed by %s at %s since you opened it", who,
			    when);
		} else if (rc == SQLITE_DONE)
			ret = serr_set(e, SE_NOTFOUND, "agency involvement: "
			    "no record with id %lld", (long long)a->id);
		else
			ret = db_fail(db, rc, e, "agency involvement");
		sqlite3_reset(st);
		goto fail;
	}
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	a->version++;
	snprintf(a->updated_at, sizeof a->updated_at, "%s", now);
	snprintf(a->changed_by, sizeof a->changed_by, "%s", db_author(db));
	return 0;
fail:
	db_rollback(db);
	return ret;
}

/* The callback sees each record for the length of the call only. */
int
agency_list(struct db *db, int64_t pupil_id, agency_cb cb, void *ctx,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_AG_LIST, e);
	struct agency a;
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		a.id = sqlite3_column_int64(st, 0);
		a.pupil_id = sqlite3_column_int64(st, 1);
		db_col_copy(st, 2, a.agency, sizeof a.agency);
		a.referred_on = db_col_date(st, 3);
		db_col_copy(st, 4, a.status, sizeof a.status);
		a.advice_on = db_col_date(st, 5);
		a.notes = db_col_dup(st, 6);
		a.version = sqlite3_column_int64(st, 7);
		db_col_copy(st, 8, a.created_at, sizeof a.created_at);
		db_col_copy(st, 9, a.updated_at, sizeof a.updated_at);
		db_col_copy(st, 10, a.changed_by, sizeof a.changed_by);
		ret = cb(ctx, &a);
		agency_free(&a);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "agency involvement");
	sqlite3_reset(st);
	return ret;
}
