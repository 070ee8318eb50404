/*
 * undo.c: taking back the last change of this session (undo.h). One
 * level, like most terminal programs' "u" for a single action: the
 * point is to recover from a wrong key (3 instead of 2) at once.
 */
#include <stdlib.h>
#include <string.h>

#include "core/cycle.h"
#include "core/target.h"
#include "core/uiquery.h"
#include "ui/app.h"
#include "ui/undo.h"

void
ui_undo_clear(struct app *a)
{
	struct ui_undo *u = &a->undo;

	free(u->old_text);
	free(u->old_criteria);
	free(u->old_baseline);
	memset(u, 0, sizeof *u);
}

void
ui_undo_set(struct app *a, const struct ui_undo *u)
{
	ui_undo_clear(a);
	a->undo = *u;
}

static int
undo_target_edit(struct app *a, struct serr *e)
{
	struct ui_undo *u = &a->undo;
	struct target t;
	int rc;

	target_init(&t);
	if ((rc = target_get(a->db, u->id, &t, e)) != 0)
		return rc;
	free(t.text);
	free(t.criteria);
	free(t.baseline);
	t.text = u->old_text;
	t.criteria = u->old_criteria;
	t.baseline = u->old_baseline;
	t.area = (enum area)u->old_area;
	rc = target_update(a->db, &t, e);
	/* the strings stay the undo record's until it is cleared */
	t.text = t.criteria = t.baseline = NULL;
	target_free(&t);
	return rc;
}

static int
undo_stage(struct app *a, struct serr *e)
{
	struct ui_undo *u = &a->undo;
	struct cycle c;
	int rc;

	cycle_init(&c);
	if ((rc = cycle_get(a->db, u->id, &c, e)) != 0)
		return rc;
	c.stage = (enum stage)u->old_value;
	rc = cycle_update(a->db, &c, e);
	cycle_free(&c);
	return rc;
}

void
ui_undo_run(struct app *a)
{
	struct ui_undo *u = &a->undo;
	struct serr e;
	int rc = 0;

	serr_clear(&e);
	switch (u->kind) {
	case UNDO_NONE:
		ui_message(a, "nothing to undo: no change made in this "
		    "session yet");
		return;
	case UNDO_NOT_POSSIBLE:
		ui_error(a, "cannot undo %s here", u->what);
		return;
	case UNDO_RATING:
		rc = target_rating_delete(a->db, u->id, &e);
		break;
	case UNDO_OUTCOME:
		rc = target_set_outcome(a->db, u->id,
		    (enum outcome)u->old_value, &e);
		break;
	case UNDO_TARGET_EDIT:
		rc = undo_target_edit(a, &e);
		break;
	case UNDO_TARGET_ADD:
		rc = uiq_target_delete(a->db, u->id, &e);
		break;
	case UNDO_STAGE:
		rc = undo_stage(a, &e);
		break;
	}
	if (rc != 0) {
		ui_error(a, "undo failed: %s", e.msg);
		return;
	}
	ui_message(a, "undone: %s", u->what);
	ui_undo_clear(a);
	ui_changed(a);
}
