/*
 * histview.c: a pupil's record history (histview.h) as a listing. The
 * core gives the trail oldest first; it is kept and shown newest first,
 * since the question is nearly always "who changed this just now".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/histview.h"
#include "ui/listing.h"

struct entry {
	char head[200];
	char *changes;
};

struct acc {
	struct entry *v;
	int n, cap;
};

static int
add_cb(void *ctx, const struct audit_entry *ae)
{
	struct acc *acc = ctx;
	struct entry *en;
	char when[20];

	if (acc->n == acc->cap) {
		acc->cap = acc->cap ? 2 * acc->cap : 32;
		acc->v = xreallocarray(acc->v, (size_t)acc->cap,
		    sizeof *acc->v);
	}
	en = &acc->v[acc->n++];
	/* "2026-03-10T14:02:05.123Z" -> "2026-03-10 14:02:05" (UTC) */
	snprintf(when, sizeof when, "%.19s", ae->at);
	if (strlen(when) > 10 && when[10] == 'T')
		when[10] = ' ';
	snprintf(en->head, sizeof en->head, "%s  %-12s %-6s %s", when,
	    ae->author[0] ? ae->author : ae->login, ae->op, ae->table);
	en->changes = xstrdup(ae->changes != NULL ? ae->changes : "");
	return 0;
}

void
ui_histview_open(struct app *a, int64_t pupil_id, const char *name)
{
	struct acc acc = { NULL, 0, 0 };
	struct ui_listing *l;
	struct serr e;
	char title[300];
	int i;

	serr_clear(&e);
	if (audit_list(a->db, pupil_id, SDATE_NONE, add_cb, &acc, &e) != 0) {
		ui_error_serr(a, &e);
		goto out;
	}
	snprintf(title, sizeof title, "senco - record history of %s", name);
	l = ui_listing_new("Record history", title, 0, NULL, NULL, NULL);
	ui_listing_add(l, ST_HEADING, "%d change%s to %s's records, newest "
	    "first (times in UTC)", acc.n, acc.n == 1 ? "" : "s", name);
	for (i = acc.n - 1; i >= 0; i--) {
		char *p = acc.v[i].changes, *semi;

		ui_listing_add(l, ST_NORMAL, "%s", "");
		ui_listing_add(l, ST_HEADING, "%s", acc.v[i].head);
		/* one change a line: "field: old -> new" */
		while (*p != '\0') {
			semi = strstr(p, "; ");
			if (semi != NULL)
				*semi = '\0';
			ui_listing_add(l, ST_NORMAL, "    %s", p);
			if (semi == NULL)
				break;
			p = semi + 2;
		}
	}
	ui_listing_open(a, l);
out:
	for (i = 0; i < acc.n; i++)
		free(acc.v[i].changes);
	free(acc.v);
}
