/*
 * pview.h: what the pupil screen (pupil.c) shares with its panes
 * (pane_cycle.c, pane_targets.c, pane_iv.c, pane_history.c,
 * pane_results.c). Not for
 * other screens: they open a pupil with ui_pupil_open() (pupil.h).
 *
 * A pane draws in the rows py .. py+ph-1, the full width. It reads its
 * data in load() (the pupil, the open cycle and the summary are loaded
 * by pupil.c first), draws in draw(full) (full: the whole pane; else
 * only what it marked changed), and answers its keys in key().
 */
#ifndef SENCO_UI_PVIEW_H
#define SENCO_UI_PVIEW_H

#include <stdbool.h>
#include <stdint.h>
#include "core/cycle.h"
#include "core/pupil.h"
#include "ui/app.h"

enum pane_id { PANE_CYCLE = 0, PANE_TARGETS, PANE_IV, PANE_HISTORY,
    PANE_RESULTS, PANE_COUNT };

struct pview;

struct pane_ops {
	const char *name;	/* "Targets" */
	unsigned scope;		/* SC_PANE_TARGETS */
	void (*load)(struct pview *v, struct app *a);
	void (*draw)(struct pview *v, struct app *a, bool full);
	bool (*key)(struct pview *v, struct app *a, enum ui_action act,
	    int key);
	void (*free)(struct pview *v);
};

struct pview {
	struct ui_screen base;
	int64_t pupil_id;
	struct pupil p;
	char name[2 * NAME_MAX_BYTES + 4];	/* "Brown, Zoë" */
	struct cycle cycle;			/* the open cycle */
	bool has_cycle;
	char agencies[256];			/* "SALT involved, EP" */
	int pane;
	void *state[PANE_COUNT];		/* each pane's own */
	unsigned long gen;			/* data read at this gen */
	int py, ph;				/* the pane's rows */
	bool gone;				/* pupil no longer there */
	bool head_dirty;			/* summary and tabs */
};

extern const struct pane_ops pane_cycle_ops, pane_targets_ops,
    pane_iv_ops, pane_history_ops, pane_results_ops;

/* Read the pupil, the open cycle and the summary again (after a change
 * made on a pane), and tell the register to reload later. */
void pview_reload_head(struct pview *v, struct app *a);
/* Mark the summary for a redraw. */
void pview_summary_dirty(struct pview *v);

/* Shared by panes: a text cut to one line, with a label column. */
#define PANE_LABEL_W 14

#endif
