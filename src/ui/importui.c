/*
 * importui.c: the import from the register (importui.h). The file is read
 * twice: a dry run whose summary and messages fill a listing, and, when
 * the user says so, the real run (one transaction in the core). The file
 * could change between the two; the real run's own summary is what the
 * message line reports, so the user is told what was actually written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/import.h"
#include "core/register.h"
#include "core/xmalloc.h"
#include "io/importfile.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/importui.h"
#include "ui/listing.h"

struct imp {
	char *path;
	int refused;
};

static void
imp_free(void *ctx)
{
	struct imp *im = ctx;

	free(im->path);
	free(im);
}

struct wrapctx {
	struct ui_listing *l;
	enum ui_style style;
	bool first;
};

static void
wrap_line(void *ctx, char *line)
{
	struct wrapctx *w = ctx;

	ui_listing_add(w->l, w->style, "%s%s", w->first ? "" : "    ", line);
	w->first = false;
	free(line);
}

/* A line wrapped to the narrowest terminal senco runs in, the rest
 * indented: a "file:line: field: why" must be read whole. */
static void
add_wrapped(struct ui_listing *l, enum ui_style style, const char *s)
{
	struct wrapctx w = { l, style, true };

	ui_wrap(s, UI_MIN_COLS - 5, wrap_line, &w);
}

/* The summary's first line (what was read, what would become of it);
 * its second, "Dry run: nothing was written", is said below in the
 * words of the keys. */
static void
add_summary(struct ui_listing *l, const struct import_result *r)
{
	char *sum = import_summary(r), *nl;

	if ((nl = strchr(sum, '\n')) != NULL)
		*nl = '\0';
	add_wrapped(l, ST_HEADING, sum);
	free(sum);
}

static const char *
kind_word(enum import_msg_kind k)
{
	switch (k) {
	case IMSG_REFUSED:
		return "refused";
	case IMSG_ADDED:
		return "add";
	case IMSG_CHANGED:
		return "change";
	default:
		return "note";
	}
}

/* The messages, refused rows first: they are what the user must act on. */
static void
add_messages(struct ui_listing *l, const struct import_result *r)
{
	int pass, i;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < r->n_msgs; i++) {
			const struct import_msg *m = &r->msgs[i];
			char *t, *line;

			if ((m->kind == IMSG_REFUSED) != (pass == 0))
				continue;
			t = import_msg_format(r, m);
			xasprintf(&line, "%-8s %s", kind_word(m->kind), t);
			add_wrapped(l, m->kind == IMSG_REFUSED ? ST_ERROR :
			    ST_NORMAL, line);
			free(line);
			free(t);
		}
}

/* Messages name the file by its last part: the path was just typed, and
 * the line and field are what must fit. */
static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

static void
run_real(struct app *a, struct imp *im, bool skip_bad)
{
	struct import_opts o = { .dry_run = false, .skip_bad = skip_bad,
	    .cfg = a->cfg };
	struct import_result res;
	struct serr e;
	char *sum, *nl;
	int rc;

	serr_clear(&e);
	import_result_init(&res, base_name(im->path));
	rc = importfile_run(a->db, im->path, &o, &res, &e);
	if (res.written) {
		/* the search index takes the new names now, while the user
		 * waits for the import anyway, not at the first key of a
		 * search (a failure leaves that to the search: no message) */
		register_search_refresh(a->db, NULL);
		ui_changed(a);
	}
	ui_pop(a);
	if (rc != 0 && !res.written) {
		ui_error_serr(a, &e);
		goto out;
	}
	sum = import_summary(&res);
	/* the first line says it all on the message line */
	if ((nl = strchr(sum, '\n')) != NULL)
		*nl = '\0';
	ui_message(a, "imported: %s", sum);
	free(sum);
out:
	import_result_free(&res);
}

static bool
imp_key(struct app *a, struct ui_listing *l, void *ctx, enum ui_action act,
    int key)
{
	struct imp *im = ctx;

	(void)l;
	(void)key;
	switch (act) {
	case ACT_IMPORT_YES:
		if (im->refused > 0) {
			ui_error(a, "%d row%s refused: s imports the good rows "
			    "and skips %s, n writes nothing", im->refused,
			    im->refused == 1 ? " was" : "s were",
			    im->refused == 1 ? "it" : "them");
			return true;
		}
		run_real(a, im, false);
		return true;
	case ACT_IMPORT_SKIP:
		run_real(a, im, true);
		return true;
	case ACT_IMPORT_NO:
	case ACT_BACK:
	case ACT_QUIT:
		ui_pop(a);
		ui_message(a, "import cancelled: nothing was written");
		return true;
	default:
		return false;
	}
}

static void
path_done(struct app *a, void *ctx, bool accepted, const char *text)
{
	struct import_opts o = { .dry_run = true, .cfg = a->cfg };
	struct import_result res;
	struct ui_listing *l;
	struct imp *im;
	struct serr e;
	char title[300];
	int rc;

	(void)ctx;
	if (!accepted || text[0] == '\0')
		return;
	serr_clear(&e);
	import_result_init(&res, base_name(text));
	rc = importfile_run(a->db, text, &o, &res, &e);
	/* refused rows are a summary to show; anything else (no such
	 * file, not a pupil list) is one error */
	if (rc != 0 && res.refused == 0) {
		ui_error_serr(a, &e);
		import_result_free(&res);
		return;
	}
	im = xcalloc(1, sizeof *im);
	im->path = xstrdup(text);
	im->refused = res.refused;
	snprintf(title, sizeof title, "senco - import %s (dry run)", text);
	l = ui_listing_new("Import", title, SC_IMPORT, imp_key, im,
	    imp_free);
	add_summary(l, &res);
	if (res.refused > 0)
		ui_listing_add(l, ST_ERROR, "%d row%s refused: s imports the "
		    "other rows and skips %s; n writes nothing.",
		    res.refused, res.refused == 1 ? "" : "s",
		    res.refused == 1 ? "it" : "them");
	else
		ui_listing_add(l, ST_NORMAL, "Nothing is written yet: y "
		    "imports (one transaction), n writes nothing.");
	ui_listing_add(l, ST_NORMAL, "%s", "");
	add_messages(l, &res);
	import_result_free(&res);
	ui_listing_open(a, l);
}

void
ui_import_start(struct app *a)
{
	ui_prompt_open(a, "import file: ", "", NULL, path_done, NULL);
}
