/*
 * listing.h: a screen of text lines that scrolls (j/k, PgUp/PgDn, g/G):
 * the import summary, the EHC screen and a pupil's record history are
 * listings. The
 * owner adds lines, may give a key hook for its own actions (y/n of the
 * import) and a scope bit for them, and may empty and refill the lines
 * while the screen is open.
 */
#ifndef SENCO_UI_LISTING_H
#define SENCO_UI_LISTING_H

#include <stdbool.h>
#include <stdint.h>
#include "ui/app.h"

struct ui_listing;

/* An action the listing does not know (moving is its own); true when
 * handled. ctx is the owner's. */
typedef bool (*ui_listing_key_cb)(struct app *a, struct ui_listing *l,
    void *ctx, enum ui_action act, int key);

/* name: the help screen's title ("Import"); title: the title bar.
 * free_ctx (may be NULL) frees ctx when the screen closes. */
struct ui_listing *ui_listing_new(const char *name, const char *title,
    unsigned scope, ui_listing_key_cb key, void *ctx,
    void (*free_ctx)(void *));
/* A line (cut to the width when drawn); style: ST_NORMAL, ST_HEADING,
 * ST_ERROR ... */
void ui_listing_add(struct ui_listing *l, enum ui_style style,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Make the line added last selectable, standing for id (non-zero: a
 * pupil, a record): j/k then move a cursor between such lines. Its text
 * should begin with a space: the cursor's '>' is drawn there. */
void ui_listing_mark(struct ui_listing *l, int64_t id);
/* The id of the line under the cursor, 0 if none. */
int64_t ui_listing_selected(const struct ui_listing *l);
/* Empty the lines before refilling; the place on the page and the line
 * selected (by its id) are kept. */
void ui_listing_clear(struct ui_listing *l);
/* Push it on the screen stack. */
void ui_listing_open(struct app *a, struct ui_listing *l);

#endif
