/*
 * schema.c: the migrations, in order. Migration i takes a file from
 * user_version i to i+1; each runs inside the one transaction db_open()
 * holds, so a migration killed half-way leaves the old schema.
 *
 * Conventions for every table: `id` is a random 63-bit integer made by
 * db_new_id() (never AUTOINCREMENT) so copies of the file merge without
 * key collisions; `created_at`/`updated_at` are UTC ISO 8601 timestamps;
 * `version` counts changes to the row (optimistic locking) and
 * `changed_by` names who made the last one. Dates are ISO YYYY-MM-DD text.
 *
 * CHECK constraints spell lists out as "x = 'a' OR x = 'b'": SQLite builds
 * and frees a temporary table for every "x IN (...)" it evaluates, once per
 * row written, which made bulk writes several times slower.
 */
#include "schema.h"

static const char migration_1[] =
"CREATE TABLE pupil ("
"  id INTEGER PRIMARY KEY,"
"  upn TEXT NOT NULL UNIQUE CHECK (length(upn) = 13),"
"  legal_surname TEXT NOT NULL CHECK (legal_surname <> ''),"
"  legal_forename TEXT NOT NULL CHECK (legal_forename <> ''),"
"  preferred_surname TEXT,"
"  preferred_forename TEXT,"
"  dob TEXT NOT NULL,"
"  gender TEXT CHECK (gender = 'M' OR gender = 'F'),"
"  year_group TEXT NOT NULL,"
"  class TEXT,"
"  flags INTEGER NOT NULL DEFAULT 0 CHECK (flags BETWEEN 0 AND 15),"
"  attendance REAL CHECK (attendance BETWEEN 0 AND 100),"
"  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived = 0 OR archived = 1),"
"  left_on TEXT,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT ''"
");"
"CREATE INDEX pupil_name ON pupil(coalesce(preferred_surname, legal_surname) COLLATE NOCASE,"
"  coalesce(preferred_forename, legal_forename) COLLATE NOCASE);"

/* The SEN status history: the open row (end_date NULL) is the current one. */
"CREATE TABLE sen_status ("
"  id INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  status TEXT NOT NULL CHECK (status = 'N' OR status = 'K' OR status = 'E'),"
"  start_date TEXT NOT NULL,"
"  end_date TEXT CHECK (end_date IS NULL OR end_date >= start_date),"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT ''"
");"
"CREATE UNIQUE INDEX sen_status_open ON sen_status(pupil_id) WHERE end_date IS NULL;"
"CREATE INDEX sen_status_pupil ON sen_status(pupil_id, start_date);"

/* Ranked needs: rank 1 is the primary need. */
"CREATE TABLE pupil_need ("
"  id INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  rank INTEGER NOT NULL CHECK (rank >= 1),"
"  code TEXT NOT NULL CHECK (code = 'SLCN' OR code = 'ASD' OR"
"    code = 'SPLD' OR code = 'MLD' OR code = 'SLD' OR code = 'PMLD' OR"
"    code = 'SEMH' OR code = 'HI' OR code = 'VI' OR code = 'MSI' OR"
"    code = 'PD' OR code = 'OTH' OR code = 'NSA'),"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT '',"
"  UNIQUE (pupil_id, rank),"
"  UNIQUE (pupil_id, code)"
");"

/* The graduated-approach cycle. closed_on NULL = open; one open per pupil. */
"CREATE TABLE cycle ("
"  id INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  stage TEXT NOT NULL CHECK (stage = 'assess' OR stage = 'plan' OR"
"    stage = 'do' OR stage = 'review'),"
"  plan_start TEXT NOT NULL,"
"  plan_end TEXT NOT NULL CHECK (plan_end >= plan_start),"
"  review_date TEXT NOT NULL,"
"  assess_notes TEXT,"
"  plan_notes TEXT,"
"  do_notes TEXT,"
"  review_notes TEXT,"
"  parent_voice TEXT,"
"  pupil_voice TEXT,"
"  decision TEXT CHECK (decision = 'continue' OR decision = 'increase' OR"
"    decision = 'ehc' OR decision = 'remove'),"
"  closed_on TEXT,"
"  carried_from INTEGER REFERENCES cycle(id) ON DELETE SET NULL,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT '',"
"  CHECK ((closed_on IS NULL) = (decision IS NULL))"
");"
"CREATE UNIQUE INDEX cycle_open ON cycle(pupil_id) WHERE closed_on IS NULL;"
"CREATE INDEX cycle_pupil ON cycle(pupil_id, plan_start);"
"CREATE INDEX cycle_review ON cycle(review_date) WHERE closed_on IS NULL;"

"CREATE TABLE target ("
"  id INTEGER PRIMARY KEY,"
"  cycle_id INTEGER NOT NULL REFERENCES cycle(id) ON DELETE CASCADE,"
"  position INTEGER NOT NULL,"
"  text TEXT NOT NULL CHECK (text <> ''),"
"  criteria TEXT,"
"  baseline TEXT,"
"  area TEXT CHECK (area = 'CI' OR area = 'CL' OR area = 'SEMH' OR area = 'SP'),"
"  outcome TEXT CHECK (outcome = 'achieved' OR outcome = 'partial' OR"
"    outcome = 'not' OR outcome = 'discontinued'),"
"  outcome_on TEXT,"
"  carried_from INTEGER REFERENCES target(id) ON DELETE SET NULL,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT ''"
");"
"CREATE INDEX target_cycle ON target(cycle_id, position);"

/* value NULL: a comment without a rating. seq numbers a target's ratings
 * in the order they were made (ids are random and timestamps have whole
 * seconds), so "latest" is right even for two keys pressed in a second. */
"CREATE TABLE rating ("
"  id INTEGER PRIMARY KEY,"
"  target_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,"
"  seq INTEGER NOT NULL DEFAULT 0,"
"  value INTEGER CHECK (value BETWEEN 0 AND 4),"
"  rated_on TEXT NOT NULL,"
"  author TEXT NOT NULL,"
"  comment TEXT,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT '',"
"  CHECK (value IS NOT NULL OR comment IS NOT NULL)"
");"
"CREATE INDEX rating_target ON rating(target_id, rated_on, seq);"

"CREATE TABLE intervention ("
"  id INTEGER PRIMARY KEY,"
"  name TEXT NOT NULL CHECK (name <> ''),"
"  area TEXT CHECK (area = 'CI' OR area = 'CL' OR area = 'SEMH' OR area = 'SP'),"
"  description TEXT,"
"  evidence TEXT,"
"  cost_basis TEXT NOT NULL DEFAULT 'session'"
"    CHECK (cost_basis = 'session' OR cost_basis = 'hour'),"
"  cost_pence INTEGER NOT NULL DEFAULT 0 CHECK (cost_pence >= 0),"
"  retired INTEGER NOT NULL DEFAULT 0 CHECK (retired = 0 OR retired = 1),"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT ''"
");"
"CREATE UNIQUE INDEX intervention_name ON intervention(name COLLATE NOCASE);"

"CREATE TABLE enrolment ("
"  id INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  intervention_id INTEGER NOT NULL REFERENCES intervention(id) ON DELETE RESTRICT,"
"  staff TEXT,"
"  group_size INTEGER NOT NULL DEFAULT 1 CHECK (group_size >= 1),"
"  sessions_per_week INTEGER NOT NULL CHECK (sessions_per_week BETWEEN 0 AND 50),"
"  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 600),"
"  start_date TEXT NOT NULL,"
"  end_date TEXT CHECK (end_date IS NULL OR end_date >= start_date),"
"  ended INTEGER NOT NULL DEFAULT 0 CHECK (ended = 0 OR ended = 1),"
"  measure TEXT,"
"  measure_kind TEXT NOT NULL DEFAULT 'score' CHECK (measure_kind = 'score'"
"    OR measure_kind = 'age' OR measure_kind = 'rating'),"
"  entry_score REAL,"
"  exit_score REAL,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT ''"
");"
"CREATE INDEX enrolment_pupil ON enrolment(pupil_id, start_date);"
"CREATE INDEX enrolment_intervention ON enrolment(intervention_id);"

"CREATE TABLE agency_involvement ("
"  id INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  agency TEXT NOT NULL CHECK (agency <> ''),"
"  referred_on TEXT NOT NULL,"
"  status TEXT NOT NULL DEFAULT 'referred',"
"  advice_on TEXT,"
"  notes TEXT,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT ''"
");"
"CREATE INDEX agency_pupil ON agency_involvement(pupil_id, referred_on);"

"CREATE TABLE exclusion ("
"  id INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  excluded_on TEXT NOT NULL,"
"  kind TEXT NOT NULL CHECK (kind = 'suspension' OR kind = 'permanent'),"
"  sessions INTEGER NOT NULL DEFAULT 0 CHECK (sessions >= 0),"
"  reason TEXT,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT ''"
");"
"CREATE INDEX exclusion_pupil ON exclusion(pupil_id, excluded_on);"

"CREATE TABLE note ("
"  id INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  noted_on TEXT NOT NULL,"
"  author TEXT NOT NULL,"
"  kind TEXT NOT NULL DEFAULT 'other',"
"  text TEXT NOT NULL CHECK (text <> ''),"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT ''"
");"
"CREATE INDEX note_pupil ON note(pupil_id, noted_on);"

/* The audit trail: one row per insert, update and delete of caseload
 * data, written by triggers (db.c installs them from the table list) in
 * the same transaction as the change. Rows cannot be changed, and deleted
 * only by a retention purge. old/new are JSON objects of the row (of an
 * update, of the columns it changed), without the bookkeeping columns
 * since schema version 8 (db.c imaged()). */
"CREATE TABLE audit ("
"  id INTEGER PRIMARY KEY,"
"  seq INTEGER NOT NULL,"
"  at TEXT NOT NULL,"
"  login TEXT NOT NULL,"
"  author TEXT NOT NULL,"
"  tbl TEXT NOT NULL,"
"  row_id INTEGER NOT NULL,"
"  pupil_id INTEGER,"
"  op TEXT NOT NULL CHECK (op = 'insert' OR op = 'update' OR op = 'delete'),"
"  old TEXT,"
"  new TEXT"
");"
"CREATE INDEX audit_pupil ON audit(pupil_id, at);"
"CREATE INDEX audit_at ON audit(at);"
"CREATE INDEX audit_seq ON audit(seq);"
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
"  SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;"
"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
"  WHEN NOT senco_purging() BEGIN"
"  SELECT RAISE(ABORT, 'the audit trail cannot be deleted'); END;"
;

/*
 * Migration 2 (issue 7): outcomes and statutory deadlines. Every table
 * holds pupil_id itself (ehc_step too, though its request knows it) so
 * that the audit trail and the retention purge find each row's pupil
 * directly.
 */
static const char migration_2[] =
/* Assessment results of the whole roll (N too). point and subject are
 * matched in any case; subject is stored as senco spells it ("reading",
 * "maths"). A band is judged against the configured scale when a report
 * is made, so a change of scale needs no new import. */
"CREATE TABLE result ("
"  id INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  point TEXT NOT NULL COLLATE NOCASE CHECK (point <> ''),"
"  subject TEXT NOT NULL COLLATE NOCASE CHECK (subject <> ''),"
"  kind TEXT NOT NULL CHECK (kind = 'band' OR kind = 'score' OR"
"    kind = 'age'),"
"  band TEXT,"
"  score REAL,"
"  age_months INTEGER CHECK (age_months IS NULL OR"
"    age_months BETWEEN 0 AND 300),"
"  assessed_on TEXT,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT '',"
"  CHECK ((kind = 'band') = (band IS NOT NULL)),"
"  CHECK ((kind = 'score') = (score IS NOT NULL)),"
"  CHECK ((kind = 'age') = (age_months IS NOT NULL)),"
"  UNIQUE (pupil_id, point, subject)"
");"
"CREATE INDEX result_point ON result(point, subject);"

/* Attendance per pupil per term: the percentage, and the sessions when
 * the MIS gave them. term_start orders the terms. */
"CREATE TABLE attendance ("
"  id INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  term TEXT NOT NULL CHECK (term <> ''),"
"  term_start TEXT NOT NULL,"
"  possible INTEGER CHECK (possible IS NULL OR possible > 0),"
"  attended INTEGER CHECK (attended IS NULL OR attended >= 0),"
"  percent REAL NOT NULL CHECK (percent BETWEEN 0 AND 100),"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT '',"
"  CHECK ((possible IS NULL) = (attended IS NULL)),"
"  CHECK (attended IS NULL OR attended <= possible),"
"  UNIQUE (pupil_id, term)"
");"
"CREATE INDEX attendance_term ON attendance(term_start);"

/* A request for an EHC needs assessment. The statutory clock runs from
 * received_on (the day the local authority received it); stage is where
 * the steps below have got to, kept here so lists need no second query.
 * sent_on is NULL while a request decided at a review is not yet sent. */
"CREATE TABLE ehc_request ("
"  id INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  cycle_id INTEGER REFERENCES cycle(id) ON DELETE SET NULL,"
"  requested_by TEXT NOT NULL CHECK (requested_by = 'school' OR"
"    requested_by = 'parent' OR requested_by = 'professional'),"
"  sent_on TEXT,"
"  received_on TEXT CHECK (received_on IS NULL OR sent_on IS NULL OR"
"    received_on >= sent_on),"
"  stage TEXT NOT NULL DEFAULT 'requested' CHECK (stage = 'requested' OR"
"    stage = 'assessing' OR stage = 'declined' OR stage = 'draft' OR"
"    stage = 'final' OR stage = 'refused' OR stage = 'appeal'),"
"  stage_on TEXT,"
"  exception TEXT,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT '',"
"  CHECK (received_on IS NULL OR sent_on IS NOT NULL)"
");"
"CREATE INDEX ehc_request_pupil ON ehc_request(pupil_id);"

/* The steps of a request in the order they were taken (seq). */
"CREATE TABLE ehc_step ("
"  id INTEGER PRIMARY KEY,"
"  request_id INTEGER NOT NULL REFERENCES ehc_request(id) ON DELETE CASCADE,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  seq INTEGER NOT NULL,"
"  step TEXT NOT NULL CHECK (step = 'decision-agreed' OR"
"    step = 'decision-declined' OR step = 'draft' OR step = 'final' OR"
"    step = 'refused' OR step = 'appeal'),"
"  step_on TEXT NOT NULL,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT '',"
"  UNIQUE (request_id, seq)"
");"
"CREATE INDEX ehc_step_pupil ON ehc_step(pupil_id);"

/* The life of an EHC plan at this school: issued (a final plan, or one
 * recorded for a pupil who came with it), each annual review meeting with
 * the day the school's report went to the LA, and amended plans. */
"CREATE TABLE ehcp_event ("
"  id INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,"
"  kind TEXT NOT NULL CHECK (kind = 'issued' OR kind = 'review' OR"
"    kind = 'amended'),"
"  held_on TEXT NOT NULL,"
"  report_on TEXT CHECK (report_on IS NULL OR (kind = 'review' AND"
"    report_on >= held_on)),"
"  request_id INTEGER REFERENCES ehc_request(id) ON DELETE SET NULL,"
"  notes TEXT,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL,"
"  version INTEGER NOT NULL DEFAULT 1,"
"  changed_by TEXT NOT NULL DEFAULT ''"
");"
"CREATE INDEX ehcp_event_pupil ON ehcp_event(pupil_id, held_on);"
;

/* Issue 6: speed at a local authority's scale (100,000 pupils). */
static const char migration_3[] =
/* Search as you type over the whole roll: a trigram index of the names
 * (as shown, then legal; a line apart, so no match spans the two) and
 * the UPN, which finds the pupils whose names contain any three letters
 * typed without reading every name (register.c). It holds no data of
 * its own and is not audited.
 *
 * Triggers do not add to it: FTS5 writes its pending terms out at every
 * statement of a transaction once it has been written in it, which made
 * an import of 5,000 pupils 60% slower. They note the pupil in
 * pupil_search_stale instead (a plain table, cheap to write), and the
 * register brings the index up to date before it searches
 * (register_reindex() remakes it whole). A pupil deleted leaves it at
 * once, so no name outlives its pupil (purge.c). */
"CREATE VIRTUAL TABLE pupil_search USING fts5(name, upn,"
"  tokenize = 'trigram');"
"INSERT INTO pupil_search (rowid, name, upn) SELECT id, " SEARCH_DOC("pupil")
"  , upn FROM pupil;"
"CREATE TABLE pupil_search_stale (pupil_id INTEGER PRIMARY KEY);"
"CREATE TRIGGER pupil_search_insert AFTER INSERT ON pupil BEGIN"
"  INSERT OR IGNORE INTO pupil_search_stale VALUES (NEW.id); END;"
"CREATE TRIGGER pupil_search_update AFTER UPDATE OF legal_surname,"
"  legal_forename, preferred_surname, preferred_forename, upn ON pupil"
"  WHEN OLD.legal_surname IS NOT NEW.legal_surname"
"    OR OLD.legal_forename IS NOT NEW.legal_forename"
"    OR OLD.preferred_surname IS NOT NEW.preferred_surname"
"    OR OLD.preferred_forename IS NOT NEW.preferred_forename"
"    OR OLD.upn IS NOT NEW.upn BEGIN"
"  INSERT OR IGNORE INTO pupil_search_stale VALUES (NEW.id); END;"
"CREATE TRIGGER pupil_search_delete AFTER DELETE ON pupil BEGIN"
"  DELETE FROM pupil_search WHERE rowid = OLD.id;"
"  DELETE FROM pupil_search_stale WHERE pupil_id = OLD.id; END;"
/* The register's counts by status come from these two alone (each
 * covers its count: a partial index would still read every row for the
 * column its WHERE names). */
"CREATE INDEX sen_status_current ON sen_status(end_date, status, pupil_id);"
"CREATE INDEX pupil_archived ON pupil(archived) WHERE archived = 1;"
/* A row of the register reads its figures from these alone, never from
 * the tables (register.c: a page of 21 pupils then costs a few hundred
 * index reads, not thousands of row reads scattered over the file): the
 * current status, the primary need, the open cycle, the open targets,
 * each target's latest rating (the whole order of RATING_NEWEST_FIRST,
 * so no sort) and the provision costed. rating_latest does all that
 * rating_target did. */
"CREATE INDEX sen_status_now ON sen_status(pupil_id, end_date, status);"
"CREATE INDEX pupil_need_rank ON pupil_need(pupil_id, rank, code);"
"CREATE INDEX cycle_now ON cycle(pupil_id, closed_on, stage, review_date,"
"  plan_start, plan_end);"
"CREATE INDEX target_open ON target(cycle_id, outcome);"
"CREATE INDEX rating_latest ON rating(target_id, rated_on, seq, created_at,"
"  value);"
"DROP INDEX rating_target;"
"CREATE INDEX enrolment_cost ON enrolment(pupil_id, ended, start_date,"
"  end_date, intervention_id, group_size, sessions_per_week, minutes);"
;

/*
 * Migration 4 (issue 6): nothing in the tables changes; taking the
 * version makes db.c install the audit triggers again in their cheaper
 * form: ids one after another from a random start (senco_audit_id), the
 * row inserted or deleted without its NULL columns, and of an update
 * only the columns it changed, old and new (senco_audit_image and
 * senco_audit_changes, written in C).
 */
static const char migration_4[] =
"SELECT 1;"
;

/* Migration 5 (issue 6): the register's title counts K and E on every
 * start; this index holds the open statuses alone, in half the pages of
 * sen_status_current, which a fresh start reads from disk. */
static const char migration_5[] =
"CREATE INDEX sen_status_tally ON sen_status(status, end_date)"
"  WHERE end_date IS NULL;"
;

/*
 * Migration 6 (issue 6): each cycle's open targets and how many of them
 * have a latest rating of at least 1, 2, 3 and 4, kept by triggers, so
 * that a row of the register reads "on track" from one row instead of
 * every open target's latest rating (three or four index searches on
 * pages of their own: half of a register page's time at 100,000
 * pupils). Like the search index it holds nothing of its own: it is not
 * audited, not merged (a merge's writes keep it through the triggers)
 * and register_reindex() remakes it whole. A target without a rating
 * counts as rated 0 (register.c).
 */
/* The row of cycle x, made again; none if the cycle has gone. */
#define TRACK_OF(x) \
	"INSERT OR REPLACE INTO cycle_track (cycle_id, open, r1, r2, r3, r4)" \
	" SELECT * FROM (SELECT " x ", count(*), count(CASE WHEN v >= 1" \
	"   THEN 1 END), count(CASE WHEN v >= 2 THEN 1 END)," \
	"   count(CASE WHEN v >= 3 THEN 1 END), count(CASE WHEN v >= 4" \
	"   THEN 1 END) FROM (SELECT " SCHEMA_TRACK_LATEST("t") " AS v" \
	"   FROM target t WHERE t.cycle_id = " x " AND t.outcome IS NULL))" \
	" WHERE EXISTS (SELECT 1 FROM cycle WHERE id = " x ");"
#define TRACK_OF_TARGET(x) \
	TRACK_OF("(SELECT cycle_id FROM target WHERE id = " x ")")

static const char migration_6[] =
"CREATE TABLE cycle_track (cycle_id INTEGER PRIMARY KEY,"
"  open INTEGER NOT NULL, r1 INTEGER NOT NULL, r2 INTEGER NOT NULL,"
"  r3 INTEGER NOT NULL, r4 INTEGER NOT NULL);"
"CREATE TRIGGER cycle_track_rating_insert AFTER INSERT ON rating BEGIN "
	TRACK_OF_TARGET("NEW.target_id") " END;"
"CREATE TRIGGER cycle_track_rating_update AFTER UPDATE OF target_id,"
"  value, rated_on, seq, created_at ON rating BEGIN "
	TRACK_OF_TARGET("NEW.target_id") TRACK_OF_TARGET("OLD.target_id")
	" END;"
"CREATE TRIGGER cycle_track_rating_delete AFTER DELETE ON rating BEGIN "
	TRACK_OF_TARGET("OLD.target_id") " END;"
"CREATE TRIGGER cycle_track_target_insert AFTER INSERT ON target BEGIN "
	TRACK_OF("NEW.cycle_id") " END;"
"CREATE TRIGGER cycle_track_target_update AFTER UPDATE OF cycle_id,"
"  outcome ON target BEGIN "
	TRACK_OF("NEW.cycle_id") TRACK_OF("OLD.cycle_id") " END;"
"CREATE TRIGGER cycle_track_target_delete AFTER DELETE ON target BEGIN "
	TRACK_OF("OLD.cycle_id") " END;"
"CREATE TRIGGER cycle_track_cycle_delete AFTER DELETE ON cycle BEGIN"
"  DELETE FROM cycle_track WHERE cycle_id = OLD.id; END;"
SCHEMA_TRACK_FILL ";"
/* The name order with every column a register row takes from the pupil
 * (register.c), so that a page reads the pupils' rows from the few
 * index pages it walks, not each from a page of the table of its own
 * (a third less time a page at 100,000 pupils). The raw name columns
 * are there because SQLite 3.40 counts an index covering only when it
 * holds every column the query names; the id after the names is the
 * order's last key (ties), so a page needs no sort. */
"DROP INDEX pupil_name;"
"CREATE INDEX pupil_name ON pupil(coalesce(preferred_surname,"
"  legal_surname) COLLATE NOCASE, coalesce(preferred_forename,"
"  legal_forename) COLLATE NOCASE, id, archived, flags, year_group, upn,"
"  preferred_surname, legal_surname, preferred_forename, legal_forename);"
;

/*
 * Migration 7 (issue 6): each pupil's row of the register as far as it
 * comes from other tables (the open SEN status, the first need, the open
 * cycle and its on-track figures), kept by triggers, so that a row of a
 * register page is one search of one table instead of five on pages of
 * their own (status, need, cycle, cycle_track twice): at 100,000 pupils
 * a page's query 0.75 -> 0.45 ms. Like cycle_track it holds nothing of
 * its own: it is not audited, not merged (a merge's writes keep it
 * through the triggers), register_reindex() remakes it whole and senco
 * check compares it with the tables. Every trigger works the pupil's
 * row out again whole (NOW7_FILL): one rule, whatever changed.
 */
/* pupil_now's rows as migration 7 made them (schema.h has today's). */
#define NOW7_COLS "pupil_id, status, need, cycle_id, stage," \
	" review_date, plan_start, plan_end, open, r1, r2, r3, r4"
#define NOW7_FILL(where) \
	"INSERT OR REPLACE INTO pupil_now (" NOW7_COLS ") " \
	"SELECT p.id, s.status, (SELECT n.code FROM pupil_need n" \
	"   WHERE n.pupil_id = p.id ORDER BY n.rank LIMIT 1)," \
	" c.id, c.stage, c.review_date, c.plan_start, c.plan_end," \
	" k.open, k.r1, k.r2, k.r3, k.r4 FROM pupil p" \
	" LEFT JOIN sen_status s ON s.pupil_id = p.id AND s.end_date IS NULL" \
	" LEFT JOIN cycle c ON c.pupil_id = p.id AND c.closed_on IS NULL" \
	" LEFT JOIN cycle_track k ON k.cycle_id = c.id WHERE " where
#define NOW_OF(x) NOW7_FILL("p.id = " x) ";"
/* The pupil of cycle x, if it is open (its figures are the pupil's). */
#define NOW_OF_CYCLE(x) NOW_OF("(SELECT pupil_id FROM cycle WHERE id = " \
	x " AND closed_on IS NULL)")
/* AFTER INSERT, UPDATE OF cols, DELETE triggers on t whose rows belong
 * to pupil X.col. */
#define NOW_TRIGGERS(t, col, cols) \
	"CREATE TRIGGER pupil_now_" t "_insert AFTER INSERT ON " t " BEGIN " \
	NOW_OF("NEW." col) " END;" \
	"CREATE TRIGGER pupil_now_" t "_update AFTER UPDATE OF " cols \
	" ON " t " BEGIN " NOW_OF("NEW." col) NOW_OF("OLD." col) " END;" \
	"CREATE TRIGGER pupil_now_" t "_delete AFTER DELETE ON " t " BEGIN " \
	NOW_OF("OLD." col) " END;"

static const char migration_7[] =
"CREATE TABLE pupil_now (pupil_id INTEGER PRIMARY KEY,"
"  status TEXT, need TEXT, cycle_id INTEGER, stage TEXT, review_date TEXT,"
"  plan_start TEXT, plan_end TEXT, open INTEGER, r1 INTEGER, r2 INTEGER,"
"  r3 INTEGER, r4 INTEGER);"
"CREATE TRIGGER pupil_now_pupil_insert AFTER INSERT ON pupil BEGIN "
	NOW_OF("NEW.id") " END;"
"CREATE TRIGGER pupil_now_pupil_delete AFTER DELETE ON pupil BEGIN"
"  DELETE FROM pupil_now WHERE pupil_id = OLD.id; END;"
NOW_TRIGGERS("sen_status", "pupil_id", "pupil_id, status, end_date")
NOW_TRIGGERS("pupil_need", "pupil_id", "pupil_id, rank, code")
NOW_TRIGGERS("cycle", "pupil_id", "pupil_id, stage, review_date,"
    " plan_start, plan_end, closed_on")
/* cycle_track's own triggers write it with INSERT OR REPLACE (an
 * insert) and delete it with its cycle (whose own trigger above has
 * the pupil's row worked out again). */
"CREATE TRIGGER pupil_now_track_insert AFTER INSERT ON cycle_track BEGIN "
	NOW_OF_CYCLE("NEW.cycle_id") " END;"
"CREATE TRIGGER pupil_now_track_update AFTER UPDATE ON cycle_track BEGIN "
	NOW_OF_CYCLE("NEW.cycle_id") NOW_OF_CYCLE("OLD.cycle_id") " END;"
"CREATE TRIGGER pupil_now_track_delete AFTER DELETE ON cycle_track BEGIN "
	NOW_OF_CYCLE("OLD.cycle_id") " END;"
NOW7_FILL("1") ";"
;

/*
 * Migration 8 (issue 6). Taking the version makes db.c install the
 * audit triggers again without the bookkeeping columns in their images
 * (created_at, updated_at, version, changed_by: the audit row's own at,
 * login, author and seq say the same); rows written before keep theirs.
 *
 * status_tally: how many pupils have each SEN status open, kept by
 * triggers, so that the register's title reads its K and E counts from
 * two rows instead of counting 100,000 index entries, which on a fresh
 * start are read from disk (a third of the first screen's time at
 * 100,000 pupils). Like pupil_now it holds nothing of its own: it is
 * not audited, not merged, register_reindex() remakes it and senco
 * check compares it with sen_status. The index of open statuses kept
 * for that count (migration 5) goes: nothing else reads it that
 * sen_status_current cannot serve, and every status written wrote it.
 */
static const char migration_8[] =
"DROP INDEX sen_status_tally;"
"CREATE TABLE status_tally (status TEXT PRIMARY KEY, n INTEGER NOT NULL);"
"CREATE TRIGGER status_tally_insert AFTER INSERT ON sen_status"
"  WHEN NEW.end_date IS NULL BEGIN"
"  UPDATE status_tally SET n = n + 1 WHERE status = NEW.status; END;"
"CREATE TRIGGER status_tally_delete AFTER DELETE ON sen_status"
"  WHEN OLD.end_date IS NULL BEGIN"
"  UPDATE status_tally SET n = n - 1 WHERE status = OLD.status; END;"
"CREATE TRIGGER status_tally_update AFTER UPDATE OF status, end_date"
"  ON sen_status BEGIN"
"  UPDATE status_tally SET n = n - 1"
"    WHERE OLD.end_date IS NULL AND status = OLD.status;"
"  UPDATE status_tally SET n = n + 1"
"    WHERE NEW.end_date IS NULL AND status = NEW.status; END;"
SCHEMA_TALLY_FILL ";"
;

/*
 * Migration 9 (issue 6): a page of the register reads one index in the
 * register's order and nothing else. Before, each of its 22 rows was
 * looked up in pupil_now and in the enrolments, on pages of their own
 * scattered over the file: at 100,000 pupils a page down read 36 pages
 * SQLite did not hold, and cost four times what it did at 1,000.
 *   - pupil_now also holds the pupil's columns the register shows and
 *     searches (kept by a trigger on pupil) and the provision still
 *     running (SCHEMA_NOW_ROWS: kept by triggers on enrolment and on an
 *     intervention's cost);
 *   - pupil_now_name holds every column of it in the name order, so the
 *     name order's pages walk it alone;
 *   - pupil_name, which held the pupil's columns for the same walk, goes:
 *     every pupil written wrote it, and pupil_list's order (for export)
 *     is a sort of the pupils, which must not depend on the register's
 *     rows being whole.
 * Each trigger deletes the pupil's row and inserts it worked out again,
 * instead of INSERT OR REPLACE: an outer statement's conflict clause
 * overrides a trigger's, so an INSERT OR IGNORE into sen_status by
 * another tool left the old row in place.
 */
/* The rows of the pupils p.id <rhs> picks, worked out again. */
#define NOW9_OF(rhs) "DELETE FROM pupil_now WHERE pupil_id " rhs ";" \
	SCHEMA_NOW_FILL("p.id " rhs) ";"
#define NOW9_OF_CYCLE(x) NOW9_OF("= (SELECT pupil_id FROM cycle WHERE" \
	" id = " x " AND closed_on IS NULL)")
#define NOW9_TRIGGERS(t, col, cols) \
	"CREATE TRIGGER pupil_now_" t "_insert AFTER INSERT ON " t " BEGIN " \
	NOW9_OF("= NEW." col) " END;" \
	"CREATE TRIGGER pupil_now_" t "_update AFTER UPDATE OF " cols \
	" ON " t " BEGIN " NOW9_OF("= NEW." col) NOW9_OF("= OLD." col) \
	" END;" \
	"CREATE TRIGGER pupil_now_" t "_delete AFTER DELETE ON " t " BEGIN " \
	NOW9_OF("= OLD." col) " END;"
#define NOW9_DROP(t) "DROP TRIGGER pupil_now_" t "_insert;" \
	"DROP TRIGGER pupil_now_" t "_update;" \
	"DROP TRIGGER pupil_now_" t "_delete;"

static const char migration_9[] =
"DROP TRIGGER pupil_now_pupil_insert;"
"DROP TRIGGER pupil_now_pupil_delete;"
NOW9_DROP("sen_status")
NOW9_DROP("pupil_need")
NOW9_DROP("cycle")
NOW9_DROP("track")
"DROP TABLE pupil_now;"
"CREATE TABLE pupil_now (pupil_id INTEGER PRIMARY KEY,"
"  upn TEXT, surname TEXT COLLATE NOCASE, forename TEXT COLLATE NOCASE,"
"  legal_surname TEXT,"
"  legal_forename TEXT, year_group TEXT, flags INTEGER, archived INTEGER,"
"  status TEXT, need TEXT, cycle_id INTEGER, stage TEXT, review_date TEXT,"
"  plan_start TEXT, plan_end TEXT, open INTEGER, r1 INTEGER, r2 INTEGER,"
"  r3 INTEGER, r4 INTEGER, cost_n INTEGER, cost_all INTEGER,"
"  cost_from TEXT, cost_until TEXT);"
/* Every column: SQLite 3.40 reads an index alone only when it holds
 * every column the query names. The names take NOCASE from their
 * columns, not from a COLLATE in the index: SQLite seeks an index by a
 * row value, (surname, forename) > (?, ?), only where no COLLATE is
 * written; else it seeks by surname alone and walks every pupil of that
 * surname before the anchor (at 100,000 pupils, hundreds a page). */
"CREATE INDEX pupil_now_name ON pupil_now(surname, forename, pupil_id,"
"  archived, flags, year_group, upn,"
"  legal_surname, legal_forename, status, need, cycle_id, stage,"
"  review_date, plan_start, plan_end, open, r1, r2, r3, r4, cost_n,"
"  cost_all, cost_from, cost_until);"
"CREATE TRIGGER pupil_now_pupil_insert AFTER INSERT ON pupil BEGIN "
	NOW9_OF("= NEW.id") " END;"
"CREATE TRIGGER pupil_now_pupil_update AFTER UPDATE OF id, upn,"
"  legal_surname, legal_forename, preferred_surname, preferred_forename,"
"  year_group, flags, archived ON pupil BEGIN "
	NOW9_OF("= NEW.id") NOW9_OF("= OLD.id") " END;"
"CREATE TRIGGER pupil_now_pupil_delete AFTER DELETE ON pupil BEGIN"
"  DELETE FROM pupil_now WHERE pupil_id = OLD.id; END;"
NOW9_TRIGGERS("sen_status", "pupil_id", "pupil_id, status, end_date")
NOW9_TRIGGERS("pupil_need", "pupil_id", "pupil_id, rank, code")
NOW9_TRIGGERS("cycle", "pupil_id", "pupil_id, stage, review_date,"
    " plan_start, plan_end, closed_on")
NOW9_TRIGGERS("enrolment", "pupil_id", "pupil_id, intervention_id,"
    " group_size, sessions_per_week, minutes, start_date, end_date, ended")
"CREATE TRIGGER pupil_now_intervention_update AFTER UPDATE OF cost_basis,"
"  cost_pence ON intervention BEGIN "
	NOW9_OF("IN (SELECT pupil_id FROM enrolment WHERE intervention_id"
	    " = NEW.id AND ended = 0)") " END;"
"CREATE TRIGGER pupil_now_track_insert AFTER INSERT ON cycle_track BEGIN "
	NOW9_OF_CYCLE("NEW.cycle_id") " END;"
"CREATE TRIGGER pupil_now_track_update AFTER UPDATE ON cycle_track BEGIN "
	NOW9_OF_CYCLE("NEW.cycle_id") NOW9_OF_CYCLE("OLD.cycle_id") " END;"
"CREATE TRIGGER pupil_now_track_delete AFTER DELETE ON cycle_track BEGIN "
	NOW9_OF_CYCLE("OLD.cycle_id") " END;"
SCHEMA_NOW_FILL("1") ";"
"DROP INDEX IF EXISTS pupil_name;"
;

/* The search index numbered in the name order (SCHEMA_RANK_FILL in
 * schema.h): a search as it is typed stops at the first match, which
 * at 100,000 pupils reads one of 1,700 matches instead of all. Made
 * again whole, so the pupils noted stale are in it. */
static const char migration_10[] =
"CREATE TABLE pupil_search_rank (rank INTEGER PRIMARY KEY,"
"  pupil_id INTEGER NOT NULL UNIQUE);"
"DROP TABLE pupil_search;"
"CREATE VIRTUAL TABLE pupil_search USING fts5(name, upn,"
"  tokenize = 'trigram');"
SCHEMA_RANK_FILL ";"
SCHEMA_SEARCH_FILL ";"
SCHEMA_SEARCH_OPTIMIZE ";"
"DELETE FROM pupil_search_stale;"
"DROP TRIGGER pupil_search_delete;"
"CREATE TRIGGER pupil_search_delete AFTER DELETE ON pupil BEGIN"
"  DELETE FROM pupil_search WHERE rowid ="
"    (SELECT rank FROM pupil_search_rank WHERE pupil_id = OLD.id);"
"  DELETE FROM pupil_search_rank WHERE pupil_id = OLD.id;"
"  DELETE FROM pupil_search_stale WHERE pupil_id = OLD.id; END;"
;

/*
 * The audited tables and, for each, how to find the pupil a row belongs to
 * (X is NEW or OLD), so "senco audit UPN" finds every change about a child.
 */
const struct audited_table schema_audited[] = {
	{ "pupil", "X.id" },
	{ "sen_status", "X.pupil_id" },
	{ "pupil_need", "X.pupil_id" },
	{ "cycle", "X.pupil_id" },
	{ "target", "(SELECT pupil_id FROM cycle WHERE id = X.cycle_id)" },
	{ "rating", "(SELECT c.pupil_id FROM target t JOIN cycle c ON "
	    "c.id = t.cycle_id WHERE t.id = X.target_id)" },
	{ "intervention", "NULL" },
	{ "enrolment", "X.pupil_id" },
	{ "agency_involvement", "X.pupil_id" },
	{ "exclusion", "X.pupil_id" },
	{ "note", "X.pupil_id" },
	{ "result", "X.pupil_id" },
	{ "attendance", "X.pupil_id" },
	{ "ehc_request", "X.pupil_id" },
	{ "ehc_step", "X.pupil_id" },
	{ "ehcp_event", "X.pupil_id" },
};
const int schema_audited_count =
    (int)(sizeof schema_audited / sizeof schema_audited[0]);

const char *const schema_migrations[] = {
	migration_1,
	migration_2,
	migration_3,
	migration_4,
	migration_5,
	migration_6,
	migration_7,
	migration_8,
	migration_9,
	migration_10,
};
const int schema_migration_count =
    (int)(sizeof schema_migrations / sizeof schema_migrations[0]);
